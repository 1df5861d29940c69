export { QuoteService } from './service';
export { QuoteState, dataTypeFromNumber, dataTypeToNumber } from './tick-model';
export { isDelayedTick } from './quote-columns';
