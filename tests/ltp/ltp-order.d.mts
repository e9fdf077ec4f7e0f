// Types of ltp-order.mjs for the vitest suite.
import type { Result } from './ltp-runner.mjs';
export function readDurations(file?: string): Map<string, number>;
export function writeDurations(results: (Result | undefined)[], file?: string): void;
export function rotation(names: string[], required: Set<string>, date: Date, durations?: Map<string, number>): string[];
