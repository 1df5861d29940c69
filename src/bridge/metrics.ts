/** GET /metrics: Prometheus text (lines in use, subscribers, requests, pacing queue, gateway state). */
import type { BridgeContext } from './server';

const PHASES = ['disabled', 'disconnected', 'connecting', 'ready', 'reconnecting', 'failed'] as const;

export function metricsText(ctx: BridgeContext): string {
  const { services, hub, counters } = ctx;
  const phase = services.connection.status.phase;
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number, type = 'gauge') => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  gauge('ib_market_data_lines', 'Market-data lines held on the gateway (editor and bridge together).', services.quotes.activeLines);
  gauge('ib_bridge_symbols', 'Symbols bridge clients hold.', hub.lines);
  gauge('ib_bridge_symbols_limit', 'Symbols bridge clients may hold at once.', hub.maxLines);
  gauge('ib_bridge_subscribers', 'Quote watchers of bridge clients (one per client and symbol).', hub.watchers);
  gauge('ib_bridge_requests_total', 'HTTP requests received.', counters.requests, 'counter');
  gauge('ib_bridge_refused_total', 'Requests refused for a missing token or too many connections.', counters.refused, 'counter');
  gauge('ib_bridge_streams_total', 'Stream clients (SSE and WebSocket) served.', counters.streams, 'counter');
  gauge('ib_history_queue_pending', 'History requests waiting for their turn under IB pacing.', services.candles.pacing.pending);
  gauge('ib_history_queue_running', 'History requests sent and not answered yet.', services.candles.pacing.running);
  lines.push('# HELP ib_bridge_responses_total HTTP answers by method, route and status.', '# TYPE ib_bridge_responses_total counter');
  for (const [key, n] of [...counters.responses].sort(([a], [b]) => a.localeCompare(b))) {
    const [method, route, status] = key.split(' ');
    lines.push(`ib_bridge_responses_total{method="${method}",route="${route}",status="${status}"} ${n}`);
  }
  lines.push('# HELP ib_gateway_state 1 for the connection phase it is in.', '# TYPE ib_gateway_state gauge');
  for (const p of PHASES) lines.push(`ib_gateway_state{phase="${p}"} ${p === phase ? 1 : 0}`);
  return `${lines.join('\n')}\n`;
}
