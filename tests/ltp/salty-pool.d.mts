// Types of salty-pool.mjs for the vitest suites.
export const WORKER: string;
export function threadCpuMs(tid: number): number | undefined;
export interface LaneResult {
  status: number;
  output: string;
  timedOut: boolean;
  timeout?: 'cpu' | 'wall';
  ms: number;
  cpuMs?: number;
  retired?: number;
}
export class SaltyLane {
  constructor(file?: string);
  run(
    req: { file: string; args: string[]; argv0?: string; env: string[]; cwd: string; sysroot?: string; strace?: boolean; memory?: string },
    limits: { cpuMs?: number; wallMs?: number; outputCap?: number },
  ): Promise<LaneResult>;
  close(): Promise<void>;
}
