// socketpair(AF_UNIX): two unnamed sockets connected to each other. Stream
// ends see a byte stream; datagram and seqpacket ends keep message boundaries.

import { pair, UnixSocket, type Credentials } from './unix-socket';

export function createSocketPair(type: number, flags: number, owner: Credentials, caller: () => Credentials): [UnixSocket, UnixSocket] {
  const a = new UnixSocket(type, flags, owner, caller);
  const b = new UnixSocket(type, flags, owner, caller);
  pair(a, b);
  a.peerCred = owner;
  b.peerCred = owner;
  return [a, b];
}
