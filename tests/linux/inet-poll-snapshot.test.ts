// A stream socket's poll answer comes from one look at the host's events: an
// end that arrived between a look for input and a look for room to write gave
// POLLRDHUP without POLLIN (a CI run of inet-sockets' calls-x86_64 saw it).

import { describe, expect, it } from 'vitest';
import type { HostNet, NetEvent, NetListener } from '../../kernel/net/host-net';
import { InetSocket, SOCK_STREAM } from '../../kernel/net/inet-socket';
import { POLLIN, POLLRDHUP } from '../../kernel/vfs/readiness';

/** A host network whose worker posts `late` at the n-th look (pump) after `arm`. */
class ScriptedNet {
  listener: NetListener | undefined;
  private looks = -1;
  private late: NetEvent | undefined;
  newId(l: NetListener): number {
    this.listener = l;
    return 1;
  }
  arm(e: NetEvent, atLook: number): void {
    this.late = e;
    this.looks = atLook;
  }
  pump(): void {
    if (this.looks < 0) return;
    if (this.looks-- === 0 && this.late) this.listener!.onEvent(this.late);
  }
  post(): void {}
}

function connectedSocket(net: ScriptedNet): InetSocket {
  const s = new InetSocket(net as unknown as HostNet, new Set(), false, SOCK_STREAM, 6, 0);
  s.onEvent({ ev: 'connected', id: 1, local: { host: '127.0.0.1', port: 1000 }, remote: { host: '127.0.0.1', port: 2000 } } as NetEvent);
  return s;
}

describe('poll of a host stream socket', () => {
  it('reports POLLIN with POLLRDHUP whichever look the end arrives at', () => {
    for (let look = 0; look < 3; look++) {
      const net = new ScriptedNet();
      const s = connectedSocket(net);
      expect(s.pollEvents() & (POLLIN | POLLRDHUP)).toBe(0);
      net.arm({ ev: 'end', id: 1 } as NetEvent, look);
      // Each answer has both or neither (the end not seen yet); after as many polls as looks, both.
      const seen = Array.from({ length: 4 }, () => s.pollEvents() & (POLLIN | POLLRDHUP));
      for (const r of seen) expect([0, POLLIN | POLLRDHUP], `end at look ${look}: ${seen}`).toContain(r);
      expect(seen[3]).toBe(POLLIN | POLLRDHUP);
    }
  });
});
