// qemu-x86_64 as a second oracle (opt-in: X86_RISU_QEMU=1): the same cases run
// natively and under QEMU, and where they disagree the first differing
// instruction is named. QEMU is the weaker oracle (docs/x86-risu.md lists the
// disagreements seen, all QEMU's); the groups in QEMU_AGREES must agree fully,
// which checks the harness and the undefined-flag masks against a second
// implementation of the undefined cases.

import { describe, expect, it } from 'vitest';
import { prefixCase } from './case-format';
import { hashResult } from './canonical';
import { generateCases } from './generator';
import { GROUPS } from './groups';
import { haveQemuX86, nativeUnavailable, runNative } from './native-runner';

const ENABLED = process.env.X86_RISU_QEMU === '1' && haveQemuX86() && nativeUnavailable() === undefined;
const QEMU_AGREES = ['int-alu', 'mul-div', 'bit-cond', 'string', 'branch', 'sse42-string'];
const CASES = 200;
/** QEMU 7.2 bugs seen here: it applies a REX that a legacy prefix separates from the opcode. */
const KNOWN_QEMU = /^(seg )?ignored-rex /;

const same = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];

describe.runIf(ENABLED)('x86 RISU: qemu-x86_64 against the host CPU', () => {
  for (const g of GROUPS) {
    it(`${g.name}${QEMU_AGREES.includes(g.name) ? '' : ' (disagreements reported only)'}`, () => {
      const cases = generateCases(g, 0x9e3779b9, CASES);
      const native = runNative(cases);
      let qemu;
      try {
        qemu = runNative(cases, 'qemu');
      } catch (e) {
        console.log(`${g.name}: qemu-x86_64 failed: ${String(e).split('\n').slice(0, 3).join(' ')}`);
        expect(QEMU_AGREES).not.toContain(g.name);
        return;
      }
      const firsts = new Map<string, number>();
      cases.forEach((c, i) => {
        if (same(hashResult(c, native[i]), hashResult(c, qemu[i]))) return;
        for (let k = 0; k < c.offsets.length - 1; k++) {
          const cut = prefixCase(c, k + 1);
          let q;
          try {
            q = runNative([cut], 'qemu')[0];
          } catch {
            firsts.set(`qemu-x86_64 aborted at ${c.names[k]}`, (firsts.get(`qemu-x86_64 aborted at ${c.names[k]}`) ?? 0) + 1);
            break;
          }
          if (!same(hashResult(cut, runNative([cut])[0]), hashResult(cut, q))) {
            const key = `${c.names[k]} [${[...c.code.slice(c.offsets[k], c.offsets[k + 1])].map((b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
            firsts.set(key, (firsts.get(key) ?? 0) + 1);
            break;
          }
        }
      });
      console.log(`${g.name}: qemu-x86_64 disagrees with the host on ${[...firsts.values()].reduce((a, b) => a + b, 0)} of ${CASES} cases${firsts.size ? ': ' + [...firsts.keys()].slice(0, 10).join(', ') : ''}`);
      if (QEMU_AGREES.includes(g.name)) expect([...firsts.keys()].filter((k) => !KNOWN_QEMU.test(k))).toEqual([]);
    }, 300_000);
  }
});
