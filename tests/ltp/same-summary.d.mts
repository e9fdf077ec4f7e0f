// Types of same-summary.mjs for the vitest suites.
import type { Result } from './ltp-runner.mjs';
export function skipReasons(output?: string): string[];
export function isEnosysReason(reason: string): boolean;
export function compareResults(salty: Result | undefined, qemu: Result | undefined, qemuSkips: string[] | undefined): { same: boolean; how: string };
