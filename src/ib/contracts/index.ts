export { parseSymbol, SymbolSyntaxError, expandYearCode } from './symbol';
export { ContractService, AmbiguousSymbolError, type ContractServiceOptions } from './service';
export { displayLabel, resolvedToContract, specToContract } from './to-contract';
