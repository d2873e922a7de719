// Prints the dataplane bench's results: a table with ratios of cimswitch (veth ports) against the
// bridge and vde_switch (cimswitch-tap, the same switch on tap ports, is shown beside them), the issue 4 §6 goals each marked held or missed, or one JSON line per figure.
import type { Figures, Metric } from './measure.js';
import type { SwitchName } from './rigs.js';

export type Results = Partial<Record<SwitchName, Figures>>;

/** metric, label, divisor for display, decimals */
const METRICS: [Metric, string, number, number][] = [
  ['tcp1_gbps', 'TCP 1 stream, Gbit/s', 1, 2],
  ['tcp4_gbps', 'TCP 4 streams, Gbit/s', 1, 2],
  ['frames64_tx_pps', '64-byte frames sent, kpps', 1000, 1],
  ['frames64_rx_pps', '64-byte frames received, kpps', 1000, 1],
  ['cpu_us_per_frame', 'switch CPU µs per frame', 1, 3],
  ['rr_tps', 'TCP transactions/s, k', 1000, 2],
  ['rtt_us', 'ping RTT median, µs', 1, 1],
];

const SWITCHES: SwitchName[] = ['cimswitch', 'cimswitch-tap', 'bridge', 'vde', 'tapfwd'];
const width = (s: string) => Math.max(10, s.length);

export function jsonLines(res: Results): string[] {
  const out: string[] = [];
  for (const sw of SWITCHES) {
    for (const [metric] of METRICS) {
      const value = res[sw]?.[metric];
      if (value !== undefined) out.push(JSON.stringify({ bench: 'dataplane', switch: sw, metric, value: Number(value.toPrecision(6)) }));
    }
  }
  return out;
}

function fmt(v: number | undefined, div: number, digits: number): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : (v / div).toFixed(digits);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`;
}

export function table(res: Results): string[] {
  const head = ['metric'.padEnd(30), ...SWITCHES.map((s) => s.padStart(width(s))), 'cs/bridge'.padStart(10), 'cs/vde'.padStart(8)];
  const lines = [head.join(' ')];
  for (const [metric, label, div, digits] of METRICS) {
    const cells = SWITCHES.map((s) => fmt(res[s]?.[metric], div, digits).padStart(width(s)));
    const cs = res.cimswitch?.[metric];
    lines.push([label.padEnd(30), ...cells, ratio(cs, res.bridge?.[metric]).padStart(10), ratio(cs, res.vde?.[metric]).padStart(8)].join(' '));
  }
  return lines;
}

type Goal = [string, (r: Results) => boolean | undefined];

const get = (r: Results, s: SwitchName, m: Metric) => r[s]?.[m];
function cmp(a: number | undefined, b: number | undefined, ok: (a: number, b: number) => boolean): boolean | undefined {
  return a === undefined || b === undefined ? undefined : ok(a, b);
}

const GOALS: Goal[] = [
  ['TCP 1 stream >= bridge', (r) => cmp(get(r, 'cimswitch', 'tcp1_gbps'), get(r, 'bridge', 'tcp1_gbps'), (a, b) => a >= b)],
  ['TCP 4 streams >= 0.6x bridge', (r) => cmp(get(r, 'cimswitch', 'tcp4_gbps'), get(r, 'bridge', 'tcp4_gbps'), (a, b) => a >= 0.6 * b)],
  ['64-byte frames: >= 95% of sent delivered', (r) => cmp(get(r, 'cimswitch', 'frames64_rx_pps'), get(r, 'cimswitch', 'frames64_tx_pps'), (a, b) => a >= 0.95 * b)],
  ['64-byte frames: delivered >= vde', (r) => cmp(get(r, 'cimswitch', 'frames64_rx_pps'), get(r, 'vde', 'frames64_rx_pps'), (a, b) => a >= b)],
  ['64-byte frames: CPU/frame <= 0.5x vde', (r) => cmp(get(r, 'cimswitch', 'cpu_us_per_frame'), get(r, 'vde', 'cpu_us_per_frame'), (a, b) => a <= 0.5 * b)],
  ['transactions/s >= 1.5x vde', (r) => cmp(get(r, 'cimswitch', 'rr_tps'), get(r, 'vde', 'rr_tps'), (a, b) => a >= 1.5 * b)],
  ['ping RTT <= 1.5x bridge', (r) => cmp(get(r, 'cimswitch', 'rtt_us'), get(r, 'bridge', 'rtt_us'), (a, b) => a <= 1.5 * b)],
];

export function goals(res: Results): string[] {
  return GOALS.map(([what, f]) => {
    const ok = f(res);
    return `${ok === undefined ? 'n/a ' : ok ? 'HELD' : 'MISS'}  ${what}`;
  });
}
