export { QuoteService } from './service';
export { QuoteState, dataTypeFromNumber, dataTypeToNumber, isDelayedTick } from './tick-model';
