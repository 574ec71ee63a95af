/** The machine a run happened on, for the header of RESULTS.md. */
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
