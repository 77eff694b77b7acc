// Prometheus text exposition, written by hand: a few counters, gauges read at
// scrape time, and one latency histogram. No dependency needed for this much.
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Labels = Record<string, string>;
const labelKey = (l: Labels): string => Object.entries(l).sort().map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');

class Counter {
  readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) out.push(`${this.name} 0`);
    for (const [k, v] of this.values) out.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return out;
  }
}

class Histogram {
  private readonly counts = LATENCY_BUCKETS_S.map(() => 0);
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string) {}
  observe(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    LATENCY_BUCKETS_S.forEach((b, i) => { if (seconds <= b) this.counts[i]! += 1; });
    this.sum += seconds;
    this.count += 1;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    LATENCY_BUCKETS_S.forEach((b, i) => out.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    out.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return out;
  }
}

export type GaugeReader = () => number;

export class Metrics {
  readonly requests = new Counter('imb_api_requests_total', 'HTTP requests by route and status.');
  readonly errors = new Counter('imb_api_errors_total', 'API errors by code.');
  readonly events = new Counter('imb_events_total', 'Live events relayed, by type.');
  readonly webhookDeliveries = new Counter('imb_webhook_deliveries_total', 'Webhook delivery attempts by result.');
  readonly sends = new Counter('imb_api_sends_total', 'Sends accepted through the API.');
  readonly relayLatency = new Histogram('imb_relay_latency_seconds', 'Time from the message date in chat.db to the event reaching the gateway.');
  private readonly gauges: { name: string; help: string; read: GaugeReader }[] = [];
  private readonly labeled: { name: string; help: string; read: () => Array<[Labels, number]> }[] = [];

  gauge(name: string, help: string, read: GaugeReader): void {
    this.gauges.push({ name, help, read });
  }

  /** A gauge with one series per label set, all read at scrape time. */
  labeledGauge(name: string, help: string, read: () => Array<[Labels, number]>): void {
    this.labeled.push({ name, help, read });
  }

  render(): string {
    const lines = [...this.requests.render(), ...this.errors.render(), ...this.events.render(), ...this.webhookDeliveries.render(), ...this.sends.render(), ...this.relayLatency.render()];
    for (const g of this.gauges) {
      let v = NaN;
      try { v = g.read(); } catch { /* a gauge that cannot be read shows NaN */ }
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${v}`);
    }
    for (const g of this.labeled) {
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      try {
        for (const [l, v] of g.read()) lines.push(`${g.name}{${labelKey(l)}} ${v}`);
      } catch { lines.push(`${g.name} NaN`); }
    }
    return lines.join('\n') + '\n';
  }
}
