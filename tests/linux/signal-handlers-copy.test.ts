// A fork's copy of the signal table shares its actions until one side changes
// one (SignalHandlers.set replaces the action): the other side must not see it.

import { describe, expect, it } from 'vitest';
import { SignalHandlers, SIG_DFL, SIG_IGN } from '../../kernel/linux/signal-state';
import { SigSet } from '../../kernel/linux/sigset';

describe('signal table copies', () => {
  it('a change on either side of a copy stays on that side; exec resets only the caller', () => {
    const parent = new SignalHandlers();
    parent.set(10, { handler: 0x1000, flags: 4, restorer: 0x2000, mask: new SigSet(1, 0) });
    parent.set(12, { handler: SIG_IGN, flags: 0, restorer: 0, mask: new SigSet() });
    const child = parent.copy();
    expect(child.actions[10].handler).toBe(0x1000);
    child.set(10, { ...child.actions[10], handler: SIG_DFL });
    expect(parent.actions[10].handler).toBe(0x1000);
    parent.set(11, { handler: 0x3000, flags: 0, restorer: 0, mask: new SigSet() });
    expect(child.actions[11].handler).toBe(SIG_DFL);
    parent.resetForExec();
    expect(parent.actions[11].handler).toBe(SIG_DFL);
    expect(parent.actions[12].handler).toBe(SIG_IGN);
    const grandchild = child.copy();
    child.resetForExec();
    expect(grandchild.actions[10].handler).toBe(SIG_DFL);
    expect(parent.actions.length).toBe(child.actions.length);
  });
});
