// The guest syscall fuzzer on the aarch64 machine (tools/fuzz): see syscall-fuzz.ts.

import { describe } from 'vitest';
import { fuzzRuns } from './syscall-fuzz';

describe('syscall fuzzer, aarch64', () => fuzzRuns('aarch64'));
