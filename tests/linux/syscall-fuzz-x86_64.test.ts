// The guest syscall fuzzer on the x86_64 machine (tools/fuzz): see syscall-fuzz.ts.

import { describe } from 'vitest';
import { fuzzRuns } from './syscall-fuzz';

describe('syscall fuzzer, x86_64', () => fuzzRuns('x86_64'));
