// Endpoints and threads carved from Untyped memory: the object's bytes are
// charged to the untyped (64 bytes an endpoint or a notification, 1 KiB a
// thread), and deleting
// the last capability or revoking the untyped destroys the object.

import { KernelObject } from '../cap/kernel-objects';
import type { RetypedObject, Untyped } from '../mm/untyped';
import { Endpoint } from './endpoint';
import { Notification } from './notification';
import type { ThreadHost } from './native-context';

function deleteHeader(header: RetypedObject): void {
  if (header.live) header.untyped.deleteObject(header);
}

export function endpointFrom(untyped: Untyped): KernelObject {
  const header = untyped.retype('endpoint');
  const ep = new Endpoint();
  header.onDestroy = () => ep.destroy();
  return new KernelObject({ kind: 'endpoint', ep }, () => deleteHeader(header));
}

export function notificationFrom(untyped: Untyped): KernelObject {
  const header = untyped.retype('notification');
  const ntfn = new Notification();
  header.onDestroy = () => ntfn.destroy();
  return new KernelObject({ kind: 'notification', ntfn }, () => deleteHeader(header));
}

export function threadFrom(untyped: Untyped, host: ThreadHost): KernelObject {
  const header = untyped.retype('thread');
  const thread = host.newThread();
  header.onDestroy = () => host.kill(thread, 'its thread object was deleted');
  return new KernelObject({ kind: 'thread', thread }, () => deleteHeader(header));
}
