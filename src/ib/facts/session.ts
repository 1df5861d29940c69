/**
 * What the negotiated session and a contract decide about the meaning of
 * incoming values: the unit context for sizes and volumes, and the zones for
 * bar times. Services ask here rather than reading the handshake themselves.
 */
import type { IbSession, ResolvedContract } from '../types';
import type { BarTimeContext } from './bar-time';
import { loginZoneName } from './tws-zone-names';
import type { UnitContext } from './units';

type ContractFacts = Pick<ResolvedContract, 'secType' | 'currency'> & { timeZoneId?: string };

export function unitContext(session: IbSession, contract: ContractFacts): UnitContext {
  return { secType: contract.secType, currency: contract.currency, serverVersion: session.status.serverVersion };
}

export function barTimeContext(session: IbSession, contract: ContractFacts, nowMs?: number): BarTimeContext {
  return { contractZone: contract.timeZoneId, loginZone: loginZoneName(session.status.serverTime), nowMs };
}
