// inotify watches and queued events charged to guest memory (kind inotify):
// root may lift max_user_watches and max_queued_events (and
// max_user_instances), after which only memory bounds them, as on Linux,
// which charges marks and events to the memory cgroup. A watch that cannot be
// charged makes inotify_add_watch answer ENOMEM; an event that cannot, the
// overflow event (Linux's fsnotify_queue_overflow on a failed allocation).

import { setInotifyMeter } from '../vfs/inotify';
import type { LinuxSystem } from './linux-system';

export const INOTIFY_CHARGE_KIND = 'inotify';

export function enableInotifyCharges(sys: LinuxSystem): void {
  const ledger = sys.kernel.mm.kobjs;
  setInotifyMeter({
    charge: (bytes) => ledger.tryCharge(INOTIFY_CHARGE_KIND, bytes, undefined, true),
    release: (bytes) => ledger.release(INOTIFY_CHARGE_KIND, bytes),
  });
}
