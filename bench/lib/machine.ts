/** The machine a run happened on, for the header of RESULTS.md. */
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem, type as osType, release } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly loadAverage: readonly number[];
  readonly os: string;
  readonly node: string;
  readonly date: string;
}

export function machineInfo(now: Date = new Date()): MachineInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: totalmem() / 1024 ** 3,
    freeMemoryGiB: freemem() / 1024 ** 3,
    loadAverage: loadavg(),
    os: `${osType()} ${release()}`,
    node: process.version,
    date: now.toISOString(),
  };
}

export function describeMachine(info: MachineInfo): string[] {
  return [
    `- CPU: ${info.cpuModel}, ${info.cores} cores`,
    `- Memory: ${info.memoryGiB.toFixed(1)} GiB (${info.freeMemoryGiB.toFixed(1)} GiB free at start)`,
    `- Load average at start (1/5/15 min): ${info.loadAverage.map((l) => l.toFixed(2)).join(' / ')}`,
    `- OS: ${info.os}`,
    `- Node: ${info.node}`,
    `- Date: ${info.date}`,
  ];
}

/** Busy and total CPU time of the whole machine so far (`/proc/stat`), in clock ticks. */
function cpuTicks(): { busy: number; total: number } | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
  // cpu user nice system idle iowait irq softirq steal ...
  const fields = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

export interface QuietOptions {
  /** Busy share of all cores over one window under which the machine counts as quiet. */
  readonly busyBelow?: number;
  readonly windowMs?: number;
  /** Gives up waiting after this long (other work on a shared machine may never stop). */
  readonly maxWaitMs?: number;
}

/**
 * Waits until the machine's CPUs are quiet for one window (by default under 15 % busy over
 * 200 ms), at most `maxWaitMs` (default 5 s); resolves with the time waited. Before a timed
 * run this lets what the previous contender set off in the API server (its garbage
 * collection, etcd compaction of the writes) finish, so that run's cost is not billed to the
 * next contender. Where `/proc/stat` is missing it waits one window.
 */
export async function waitForQuietMachine(options: QuietOptions = {}): Promise<number> {
  const busyBelow = options.busyBelow ?? 0.15;
  const windowMs = options.windowMs ?? 200;
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const started = performance.now();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (;;) {
    const before = cpuTicks();
    await sleep(windowMs);
    const after = cpuTicks();
    const waited = performance.now() - started;
    if (before === undefined || after === undefined) return waited;
    const total = after.total - before.total;
    if (total > 0 && (after.busy - before.busy) / total < busyBelow) return waited;
    if (waited >= maxWaitMs) return waited;
  }
}
