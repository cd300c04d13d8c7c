// Describes the host a benchmark ran on, printed with every figure.

import { hostInfo } from '../engine/host/run-metadata.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const host = hostInfo();
  return { cpu: host.cpuModel, cores: host.cpuCount, memoryGiB: host.memoryGiB, os: host.os, node: host.node, date: new Date().toISOString() };
}

export function describeMachine(info: MachineInfo): string {
  return `${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}`;
}
