// The host network's worker keeps each socket's commands in the order the
// guest made them (kernel/net/host-net-worker.ts): a datagram sent just
// before a close or a connect goes out, as on Linux, where sendto has queued
// it before it returns. Node's own address lookup deferred each send to a
// later tick, so a close right after a sendto dropped the datagram silently.
// Also: the emulator's wait takes events posted at any point around it.

import { afterEach, describe, expect, it } from 'vitest';
import { HostNet, type NetEvent } from '../../kernel/net/host-net';

const nets: HostNet[] = [];
afterEach(() => {
  for (const n of nets.splice(0)) n.finish(200);
});

/** A UDP socket of the worker bound to 127.0.0.1:0, with the events it got. */
function udp(net: HostNet): { id: number; port: number; events: NetEvent[] } {
  const events: NetEvent[] = [];
  const id = net.newId({ onEvent: (e) => events.push(e) });
  const r = net.call('udpBind', { id, host: '127.0.0.1', port: 0, v6: false, v6only: false, reuse: false });
  expect(r.errno ?? 0).toBe(0);
  return { id, port: r.local!.port, events };
}

/** Waits (host time) until got() holds or ms pass. */
function until(net: HostNet, got: () => boolean, ms = 5000): boolean {
  const end = Date.now() + ms;
  while (!got() && Date.now() < end) net.wait(end - Date.now());
  return got();
}

const texts = (events: NetEvent[]): string[] => events.flatMap((e) => (e.ev === 'dgram' ? [Buffer.from(e.bytes).toString()] : []));

describe('the host network keeps a socket’s commands in order', () => {
  it('a datagram sent right before close is delivered (20 times)', () => {
    const net = new HostNet();
    nets.push(net);
    const rx = udp(net);
    for (let i = 0; i < 20; i++) {
      const tx = udp(net);
      net.post('send', { id: tx.id, bytes: Buffer.from(`last words ${i}`), host: '127.0.0.1', port: rx.port, v6: false });
      net.close(tx.id);
    }
    expect(until(net, () => texts(rx.events).length === 20)).toBe(true);
    expect(texts(rx.events)).toEqual(Array.from({ length: 20 }, (_, i) => `last words ${i}`));
  });

  it('a datagram sent to one address right before connect to another still goes to the first', () => {
    const net = new HostNet();
    nets.push(net);
    const a = udp(net);
    const b = udp(net);
    const tx = udp(net);
    net.post('send', { id: tx.id, bytes: Buffer.from('to a'), host: '127.0.0.1', port: a.port, v6: false });
    expect(net.call('udpConnect', { id: tx.id, host: '127.0.0.1', port: b.port, v6: false, v6only: false }).errno ?? 0).toBe(0);
    net.post('send', { id: tx.id, bytes: Buffer.from('to b') });
    expect(until(net, () => texts(a.events).length > 0 && texts(b.events).length > 0)).toBe(true);
    expect(texts(a.events)).toEqual(['to a']);
    expect(texts(b.events)).toEqual(['to b']);
    // Every send reported success.
    expect(tx.events.filter((e) => e.ev === 'sent').map((e) => (e.ev === 'sent' ? (e.errno ?? 0) : -1))).toEqual([0, 0]);
  });

  it('wait returns at once when a socket call took events since the last wait (the scheduler must poll again)', () => {
    // The udp.elf hang: while the scheduler polled blocked threads, the client's
    // retry took (pump) the datagram the server, polled just before, waited for;
    // the run loop then waited for the worker's next event, which never came.
    const net = new HostNet();
    nets.push(net);
    const rx = udp(net);
    const tx = udp(net);
    for (let i = 0; i < 20; i++) {
      net.post('send', { id: tx.id, bytes: Buffer.from(String(i)), host: '127.0.0.1', port: rx.port, v6: false });
      const end = Date.now() + 5000;
      while (texts(rx.events).length === i && Date.now() < end) net.pump();
      expect(texts(rx.events)).toHaveLength(i + 1);
      const t0 = Date.now();
      expect(net.wait(3000)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(1500);
    }
  });
});
