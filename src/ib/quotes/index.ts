export { QuoteService, type QuoteServiceOptions } from './service';
export { QuoteState, dataTypeFromNumber, dataTypeToNumber, isDelayedTick } from './tick-model';
