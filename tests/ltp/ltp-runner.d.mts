// Types of ltp-runner.mjs for the vitest suite.
export interface Summary {
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
  warnings: number;
}
export interface Result {
  name: string;
  mode?: string;
  status: number;
  summary?: Summary;
  timedOut: boolean;
  ms?: number;
  output?: string;
  retired?: number;
  cpuMs?: number;
  timeout?: 'cpu' | 'wall';
}
export interface Entry {
  name: string;
  argv: string[];
}
export interface Context {
  ltpDir: string;
  index: Map<string, string>;
  entries: Map<string, Entry>;
  bins: { saltyBin: string; qemuBin: string; saltyRoot: string; qemuRoot: string };
  sysroot?: string;
}
export interface RunOptions extends Context {
  jobs?: number;
  timeoutMs?: number;
  saltyArgs?: string[];
  tmpBase?: string;
  deadline?: number;
  /** Salty as a node process per test instead of the worker pool. */
  spawn?: boolean;
  /** Per-test limit (ms) instead of timeoutMs. */
  timeoutFor?: (name: string) => number;
  wallTimeoutMs?: number;
  /** Tests that start even past the deadline. */
  mustRun?: (name: string) => boolean;
}
export const HERE: string;
export const REPO: string;
export let SALTY: string;
export function findLtp(): string | undefined;
export function which(cmd: string): string | undefined;
export function readRuntest(ltpDir: string): Entry[];
export function prepare(ltpDir: string, workDir: string): Context;
export function parseSummary(text: string): Summary | undefined;
export function formatSummary(r: Result | undefined): string;
export function isPass(r: Result): boolean;
export function sameResult(a: Result, b: Result | undefined, qemuSkips?: string[]): boolean;
export function readQemuSkips(file?: string): Map<string, string[]>;
export function defaultJobs(): number;
export function runOne(entry: Entry, mode: 'qemu' | 'salty', opts: RunOptions): Promise<Result>;
export function runAll(entries: Entry[], mode: 'qemu' | 'salty', opts: RunOptions, onResult?: (r: Result) => void): Promise<(Result | undefined)[]>;
export function readGolden(file: string): Map<string, Result>;
export function readExpected(): Map<string, Result>;
export function readNames(file: string): string[];
export function firstCause(output: string | undefined): string;
export function qemuPrefix(): string[];
export function setSalty(file: string): void;
