// The dataplane bench's measurements between namespace A (192.0.2.1) and B (192.0.2.2), each
// run for a fixed few seconds: iperf3 TCP throughput, trafgen 64-byte frame rates with the
// switch's CPU per delivered frame, sockperf TCP ping-pong transactions, and ping's median RTT.
// A benchmark is allowed to wait for wall time; the waits here are the measurement windows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetScope, linkMac, linkStats, ping, run, waitFor } from '../../test/helpers/netns.js';
import type { Rig } from './rigs.js';

const A = '192.0.2.1';
const B = '192.0.2.2';

export type Metric =
  | 'tcp1_gbps'
  | 'tcp4_gbps'
  | 'frames64_tx_pps'
  | 'frames64_rx_pps'
  | 'cpu_us_per_frame'
  | 'rr_tps'
  | 'rtt_us';

export type Figures = Partial<Record<Metric, number>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function listening(ns: string, port: number): Promise<boolean> {
  return (await run('ss', ['-ltnH'], { ns })).stdout.includes(`:${port} `);
}

/** iperf3 TCP throughput A -> B with `streams` parallel streams, in Gbit/s. */
export async function tcpGbps(scope: NetScope, rig: Rig, streams: number, seconds: number): Promise<number> {
  const srv = scope.spawn('iperf3', ['-s', '-1', '-B', B, '-p', '5201'], { ns: rig.nsB });
  try {
    await waitFor('iperf3 server', () => listening(rig.nsB, 5201));
    const args = ['-c', B, '-p', '5201', '-t', String(seconds), '-P', String(streams), '-J'];
    const r = await run('iperf3', args, { ns: rig.nsA, check: false, timeoutMs: (seconds + 20) * 1000 });
    const j = JSON.parse(r.stdout) as { error?: string; end?: { sum_received?: { bits_per_second: number } } };
    if (!j.end?.sum_received) throw new Error(`iperf3: ${j.error ?? 'no result'}`);
    return j.end.sum_received.bits_per_second / 1e9;
  } finally {
    await srv.stop();
  }
}

/** A trafgen config for one 60-byte frame (64 on the wire with FCS) from A to B's MAC, with
 *  the local experimental EtherType 0x88b5 so B's stack discards it at once. */
function trafgenConfig(src: string, dst: string): string {
  const bytes = (mac: string) => mac.split(':').map((h) => `0x${h}`).join(', ');
  return `{ ${bytes(dst)}, ${bytes(src)}, 0x88, 0xb5, fill(0x00, 46) }\n`;
}

/** Frames sent by A's eth0 (delivered to the device or dropped there) and received by B's. */
async function frameCounts(rig: Rig): Promise<{ sent: number; received: number }> {
  const [a, b] = await Promise.all([linkStats('eth0', rig.nsA), linkStats('eth0', rig.nsB)]);
  return { sent: a.txPackets + a.txDropped, received: b.rxPackets };
}

/** trafgen at full rate (one CPU, pinned to CPU 0) from A for `seconds`, counted at B. */
export async function frames64(scope: NetScope, rig: Rig, seconds: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'csw-trafgen-'));
  try {
    const cfg = join(dir, 'frame.cfg');
    writeFileSync(cfg, trafgenConfig(await linkMac('eth0', rig.nsA), await linkMac('eth0', rig.nsB)));
    const before = await frameCounts(rig);
    const cpu0 = rig.cpuUs();
    const t0 = process.hrtime.bigint();
    const gen = scope.spawn('trafgen', ['-i', cfg, '-o', 'eth0', '-P', '1', '-Q', '--no-sock-mem'], { ns: rig.nsA, cpus: '0' });
    await sleep(seconds * 1000);
    await gen.stop('SIGINT', 3000);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    // Let frames in flight land: wait until B's counter holds still.
    let last = -1;
    const after = await waitFor('B rx counter to settle', async () => {
      const c = await frameCounts(rig);
      const settled = c.received === last;
      last = c.received;
      await sleep(50);
      return settled ? c : undefined;
    });
    const cpu1 = rig.cpuUs();
    const sent = after.sent - before.sent;
    const received = after.received - before.received;
    const fig: Figures = { frames64_tx_pps: sent / secs, frames64_rx_pps: received / secs };
    if (cpu0 !== undefined && cpu1 !== undefined && received > 0) fig.cpu_us_per_frame = (cpu1 - cpu0) / received;
    return fig;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sockperf TCP ping-pong, 64-byte messages, client and server both pinned to CPU 0. */
export async function rrTps(scope: NetScope, rig: Rig, seconds: number): Promise<number> {
  const port = 11111;
  const srv = scope.spawn('sockperf', ['server', '--tcp', '-i', B, '-p', String(port)], { ns: rig.nsB, cpus: '0' });
  try {
    await waitFor('sockperf server', () => listening(rig.nsB, port));
    const args = ['ping-pong', '--tcp', '-i', B, '-p', String(port), '-t', String(seconds), '-m', '64'];
    const r = await run('sockperf', args, { ns: rig.nsA, cpus: '0', check: false, timeoutMs: (seconds + 20) * 1000 });
    const m = /\[Valid Duration\] RunTime=([\d.]+) sec; SentMessages=\d+; ReceivedMessages=(\d+)/.exec(r.stdout);
    if (!m) throw new Error(`sockperf: no result: ${r.stdout.slice(-300)} ${r.stderr.slice(-300)}`);
    return Number(m[2]) / Number(m[1]);
  } finally {
    await srv.stop();
  }
}

/** Median round trip of 200 pings 10 ms apart, in µs. */
export async function rttUs(rig: Rig): Promise<number> {
  const r = await ping(rig.nsA, B, { count: 200, intervalS: 0.01, waitS: 1 });
  if (r.rttsUs.length < 190) throw new Error(`ping: only ${r.rttsUs.length} of 200 replies`);
  return median(r.rttsUs);
}

/** Waits until A and B can talk (ARP done, MACs learned) before measuring. */
export async function warmUp(rig: Rig): Promise<void> {
  await waitFor('A to reach B', async () => (await ping(rig.nsA, B, { count: 1, waitS: 1 })).received === 1, {
    timeoutMs: 15_000,
  });
  await ping(rig.nsB, A, { count: 3, intervalS: 0.01 });
}
