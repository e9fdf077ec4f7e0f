// A guest program calls every label with every kind of bad argument and
// checks each error itself; here, kernel side, every rejected call must leave
// the object graph and the PMM audit exactly as they were.
import { describe, expect, it } from 'vitest';
import { nativeSnapshot, type NativeSnapshot } from '../../kernel/native/native-snapshot';
import { labelName } from '../../kernel/native/native-labels';
import { nativeErrorName } from '../../kernel/native/native-errors';
import type { InvocationObserver } from '../../kernel/native/native-system';
import { ARCHES, guest, runNative } from './native-run';

describe.each(ARCHES)('native ABI on %s: bad arguments from a user program', (arch) => {
  it('every label with every bad argument answers its error and changes nothing; forged slots only give errors', () => {
    let before: NativeSnapshot | undefined;
    const changed: string[] = [];
    const errors = new Map<string, number>();
    let rejected = 0;
    let retypesSeen = 0;
    let retypes = 0;
    const observer: InvocationObserver = {
      before: (p) => (before = nativeSnapshot(p.mm, p.cspace)),
      after: (p, slot, label, args, r) => {
        // The snapshot does see change: every successful retype shows in it.
        if (r.error === 0 && labelName(label) === 'untypedRetype') {
          retypes++;
          retypesSeen += Number(JSON.stringify(nativeSnapshot(p.mm, p.cspace)) !== JSON.stringify(before));
        }
        if (r.error === 0) return;
        rejected++;
        const key = `${labelName(label)}: ${nativeErrorName(r.error)}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
        try {
          expect(nativeSnapshot(p.mm, p.cspace)).toEqual(before);
        } catch {
          changed.push(`slot ${slot} ${labelName(label)}(${args.join(', ')}) -> ${nativeErrorName(r.error)}`);
        }
      },
    };
    const r = runNative(guest(arch, 'bad-args'), { untypedBits: 20, ram: 64 << 20, observer });
    expect(r.err).toBe('');
    expect(r.out).toMatch(/cases = \d+\nmismatches = 0\n$/);
    expect(Number(/cases = (\d+)/.exec(r.out)![1])).toBeGreaterThan(80);
    expect(r.status).toBe(0);
    expect(changed).toEqual([]);
    expect(retypes).toBeGreaterThan(3);
    expect(retypesSeen).toBe(retypes);
    // The forged calls are rejected too: hundreds beyond the listed cases.
    expect(rejected).toBeGreaterThan(350);
    // Every error the ABI defines came up from the guest, and on the labels that raise it.
    for (const key of [
      'untypedRetype: insufficientRights',
      'untypedRetype: slotOccupied',
      'untypedRetype: notEnoughMemory',
      'memoryObjectCommit: notEnoughMemory',
      'memoryObjectCommit: wrongObjectType',
      'memoryObjectClone: notEnoughMemory',
      'vspaceMap: misaligned',
      'vspaceMap: regionOverlap',
      'vspaceProtect: insufficientRights',
      'cspaceMint: invalidArgument',
      'threadExit: invalidArgument',
      'debugWrite: badAddress',
      'debugStats: badAddress',
    ]) {
      expect(errors.get(key), key).toBeGreaterThan(0);
    }
    expect(r.kernel.mm.pmm.audit()).toEqual(r.before);
  });
});
