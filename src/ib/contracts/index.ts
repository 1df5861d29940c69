export { parseSymbol, SymbolSyntaxError, expandYearCode } from './symbol';
export { ContractService, AmbiguousSymbolError } from './service';
