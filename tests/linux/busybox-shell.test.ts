// busybox sh (Debian's static arm64 build, fetched by tests/realworld/fetch.sh)
// runs a script of pipelines, jobs and traps on salty: every applet it runs
// is a fork and an execve of /proc/self/exe. The oracle is the host's /bin/sh
// running the same script (qemu-aarch64 cannot execve an aarch64 binary
// without binfmt_misc, so it is not one here).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../tools/cli/run-program';

const BUSYBOX = join(process.cwd(), 'tests/realworld/.cache/root/bin/busybox');
const SCRIPT = join(process.cwd(), 'tests/fixtures/linux/shell/processes.sh');

describe.skipIf(!existsSync(BUSYBOX))('busybox sh on salty', () => {
  it('prints what the host /bin/sh prints for the same script, with the same status', () => {
    const host = spawnSync('/bin/sh', [SCRIPT], { encoding: 'utf8', cwd: '/' });
    let out = '';
    const status = runProgram(
      { file: BUSYBOX, bytes: readFileSync(BUSYBOX), args: [SCRIPT], argv0: 'sh', env: ['PATH=/bin:/usr/bin'], memoryBytes: 256 << 20, strace: false, stats: false },
      { writeOut: (d) => (out += Buffer.from(d).toString()), writeErr: (d) => (out += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false },
    );
    expect(out).toBe(host.stdout + host.stderr);
    expect(status).toBe(host.status);
  });
});
