// Hostile guests against the charging of kernel objects (tests/hostile/kobj-*.c,
// rebuilt by build-kobj.sh): a fork bomb, a thread bomb, a pipe flood, a memfd
// and shared-mapping bomb. Each runs under `salty run -m 256M` as its own host
// process; the test samples that process's VmHWM and asserts the host held
// less than 1.5 x -m + 150 MB, that the run ended in time with Linux's error
// or one OOM kill line, and that the tiers' audits held at the end.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostilePath, runHostile, SALTY, type HostileRun } from './run-hostile';

const MIB = 1 << 20;
const GUEST_MIB = 256;
const OOM_LINE = /^salty: Out of memory: Killed process \d+ \([^)]+\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB, shmem-rss:\d+kB, UID:\d+ pgtables:\d+kB oom_score_adj:-?\d+$/;

function expectBounded(r: HostileRun, guestMib = GUEST_MIB): void {
  expect(r.peakRssBytes).toBeGreaterThan(0);
  expect(r.peakRssBytes).toBeLessThan(1.5 * guestMib * MIB + 150e6);
  expect(r.seconds).toBeLessThan(30);
  expect(r.stats).toContain('Audit (every frame one owner, kernel-object charges held in whole frames): ok');
  // At most three lines of salty's own, then the audit's.
  expect(r.messages.length).toBeLessThanOrEqual(4);
  expect(r.messages.at(-1)).toBe('salty: audit: ok');
}

beforeAll(() => {
  if (!existsSync(SALTY)) spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
});

describe('hostile guests against kernel-object charging (-m 256M)', () => {
  it('fork bomb: fork answers EAGAIN at threads-max (2048 threads for 256 MiB), then the OOM killer ends the hog, naming it', async () => {
    const r = await runHostile('kobj-fork-bomb.elf', ['20000'], GUEST_MIB);
    expect(r.stdout).toBe('children forked: 2047, then errno 11\n');
    expect(r.messages[0]).toMatch(OOM_LINE);
    expect(r.messages[0]).toContain('(kobj-fork-bomb.)');
    expect(r.status).toBe(128 + 9);
    expectBounded(r);
  }, 90_000);

  it('x86_64 build (x86_64/kobj-fork-bomb.elf): the same EAGAIN at threads-max and OOM kill of the hog', async () => {
    const r = await runHostile('x86_64/kobj-fork-bomb.elf', ['20000'], GUEST_MIB);
    expect(r.stdout).toBe('children forked: 2047, then errno 11\n');
    expect(r.messages[0]).toMatch(OOM_LINE);
    expect(r.messages[0]).toContain('(kobj-fork-bomb.)');
    expect(r.stats).toContain('arch: x86_64');
    expect(r.status).toBe(128 + 9);
    expectBounded(r);
  }, 90_000);

  it('fork bomb past threads-max: fork answers ENOMEM when the kernel stacks and tasks no longer fit', async () => {
    const r = await runHostile('kobj-fork-bomb.elf', ['20000', 'raise'], GUEST_MIB);
    const m = /^children forked: (\d+), then errno 12\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    // 256 MiB hold a few thousand tasks of ~56 KiB (stack, task, process state, tables), not 20,000.
    expect(Number(m![1])).toBeGreaterThan(2048);
    expect(Number(m![1])).toBeLessThan(8000);
    expect(r.messages[0]).toMatch(OOM_LINE);
    expectBounded(r);
  }, 90_000);

  it.each(['', 'x86_64/'])('shared-mapping bomb (%s): children each mapping the parent\'s 16 MiB again are charged for the host\'s records of those mappings, and the OOM killer ends it', async (dir) => {
    const r = await runHostile(`${dir}kobj-sharemap-bomb.elf`, [], GUEST_MIB);
    expect(r.messages[0]).toMatch(OOM_LINE);
    expect(r.status).toBe(128 + 9);
    // Each child's 4096 mappings of pages its parent shares with it: 2 MiB of records charged, so about a hundred fit.
    expect(r.stats).toMatch(/shared-mapping +\d{6} KiB/);
    expectBounded(r);
  }, 90_000);

  it('shared-mapping bomb over MAP_SHARED memory: fork answers ENOMEM once the children\'s mappings are charged, then the OOM killer ends the hog', async () => {
    const r = await runHostile('kobj-sharemap-bomb.elf', ['16', '20000', 'shared'], GUEST_MIB);
    const m = /^children forked: (\d+), then errno 12\n$/.exec(r.stdout);
    expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
    // 2 MiB charged a child: about a hundred in 256 MiB, not the 2047 threads-max allows.
    expect(Number(m![1])).toBeGreaterThan(50);
    expect(Number(m![1])).toBeLessThan(200);
    expect(r.messages[0]).toMatch(OOM_LINE);
    expect(r.stats).toMatch(/shared-mapping +\d{6} KiB/);
    expectBounded(r);
  }, 90_000);

  it('thread bomb: clone answers EAGAIN at threads-max, and ENOMEM past it when memory is spent', async () => {
    const a = await runHostile('kobj-thread-bomb.elf', ['100000'], GUEST_MIB);
    expect(a.stdout).toBe('threads started: 2047, then errno 11\n');
    expect(a.status).toBe(0);
    expectBounded(a);
    const b = await runHostile('kobj-thread-bomb.elf', ['100000', 'raise'], GUEST_MIB);
    const m = /^threads started: (\d+), then errno 12\n$/.exec(b.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(11000);
    expectBounded(b);
  }, 120_000);

  it('pipe flood: the pipe buffers are charged until guest memory is spent, then pipe2 answers ENOMEM (its open files are charged too, keeping the reserve)', async () => {
    const r = await runHostile('kobj-pipe-flood.elf', [], GUEST_MIB);
    const m = /^pipes filled: (\d+), then errno 12\n$/.exec(r.stdout);
    expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
    // A full pipe: 16 pages charged twice, with their bookkeeping, in 255/256 of 256 MiB.
    expect(Number(m![1])).toBeGreaterThan(1900);
    expect(Number(m![1])).toBeLessThanOrEqual(Math.floor((GUEST_MIB * MIB) / (2 * 16 * (4096 + 64))));
    expect(r.status).toBe(0);
    expect(r.stats).toMatch(/pipe-socket-buffer +0 KiB +\d{6} KiB/);
    expectBounded(r);
  }, 90_000);

  it('the OOM killer chooses by badness: a child with oom_score_adj 1000 goes first, then the hog (-m 64M)', async () => {
    const r = await runHostile('kobj-oom-adj.elf', [], 64);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('child oom_score_adj 1000');
    // Linux 5.9+: (1000 + badness * 1000 / RAM pages) * 2 / 3, the adjustment counted in whole thousandths of RAM.
    expect(Number(/^child oom_score (\d+)$/.exec(lines[1])![1])).toBeGreaterThan(1327);
    const child = /^child pid (\d+)$/.exec(lines[2])![1];
    expect(lines[3]).toBe('parent oom_score 667');
    expect(r.messages).toHaveLength(4);
    expect(r.messages[0]).toMatch(OOM_LINE);
    expect(r.messages[0]).toMatch(new RegExp(`^salty: Out of memory: Killed process ${child} \\(kobj-oom-adj\\.el\\) .*anon-rss:41\\d\\dkB.* oom_score_adj:1000$`));
    expect(r.messages[1]).toMatch(/Killed process \d+ \(kobj-oom-adj\.el\) .* oom_score_adj:0$/);
    expect(r.status).toBe(128 + 9);
    expectBounded(r, 64);
  }, 90_000);

  it('a process with oom_score_adj -1000 is never chosen, though it holds the most (-m 64M)', async () => {
    const r = await runHostile('kobj-oom-adj.elf', ['exempt'], 64);
    const lines = r.stdout.split('\n');
    if (lines[0] !== 'child oom_score_adj -1000') return; // lowering it needs CAP_SYS_RESOURCE, which the host user lacks
    expect(lines[1]).toBe('child oom_score 0');
    expect(r.messages).toHaveLength(3);
    expect(r.messages[0]).toMatch(/^salty: Out of memory: Killed process 1000 \(kobj-oom-adj\.el\) .* oom_score_adj:0$/);
    expect(r.status).toBe(128 + 9);
    expectBounded(r, 64);
  }, 90_000);

  it('OOM storm: 128 processes each asking 8 MiB of 256 make the killer kill dozens of times; its lines are rate limited', async () => {
    const r = await runHostile('kobj-oom-storm.elf', ['128', '8'], GUEST_MIB);
    const m = /^children forked: 128, got their memory: (\d+), killed: (\d+), other ends: 0\n$/.exec(r.stdout);
    expect(m).not.toBeNull();
    // 1 GiB asked of 256 MiB: about three quarters of the children must go; the survivors fit.
    expect(Number(m![2])).toBeGreaterThan(64);
    expect(r.status).toBe(0);
    const kills = r.messages.filter((l) => OOM_LINE.test(l));
    const suppressed = r.messages.filter((l) => /^salty: Out of memory: \d+ more kill lines? suppressed \(at most 10 every 5 s\)$/.test(l));
    expect(kills.length).toBeGreaterThanOrEqual(10);
    // Besides them, only the audit's line.
    expect(kills.length + suppressed.length).toBe(r.messages.length - 1);
    // Every kill is either printed or counted.
    const counted = kills.length + suppressed.reduce((n, l) => n + Number(/(\d+) more/.exec(l)![1]), 0);
    expect(counted).toBeGreaterThanOrEqual(Number(m![2]));
    expect(r.messages.length).toBeLessThanOrEqual(30);
    expect(r.messages.at(-1)).toBe('salty: audit: ok');
    expect(r.peakRssBytes).toBeLessThan(1.5 * GUEST_MIB * MIB + 150e6);
    expect(r.seconds).toBeLessThan(30);
    expect(r.stats).toContain('Audit (every frame one owner, kernel-object charges held in whole frames): ok');
  }, 90_000);

  it('timer bomb: each POSIX timer holds a signal queue entry, so timer_create answers EAGAIN at RLIMIT_SIGPENDING, and past it when memory is spent (-m 64M)', async () => {
    const a = await runHostile('kobj-timer-bomb.elf', ['5000'], 64);
    expect(a.stdout).toBe('timers created: 5000, then errno 11\n');
    expect(a.status).toBe(0);
    expectBounded(a, 64);
    const b = await runHostile('kobj-timer-bomb.elf', ['raise'], 64);
    const m = /^timers created: (\d+), then errno 11\n$/.exec(b.stdout);
    expect(m, `status ${b.status} after ${b.seconds} s, stdout ${JSON.stringify(b.stdout)}, stderr ${JSON.stringify(b.messages)}`).not.toBeNull();
    // 64 MiB less the 1/64 kept for user pages, at 1184 bytes a timer (its queue entry and struct): at most 55,794.
    expect(Number(m![1])).toBeGreaterThan(40000);
    expect(Number(m![1])).toBeLessThanOrEqual(Math.floor((64 * MIB * 63) / 64 / 1184));
    expect(b.stats).toMatch(/posix-timer +0 KiB +\d{5} KiB/);
    expectBounded(b, 64);
  }, 120_000);

  it('timer bomb whose last calls need a new stack page: the timers leave the frames kept for user pages, so it prints its count rather than meeting the OOM killer (-m 16M)', async () => {
    // The guest's environment places its stack: with only PAD, of this length, put_u64's frame (after the
    // last timer_create) is the first use of the next stack page down. The path is on the stack twice
    // (argv[0], AT_EXECFN). Found by sweeping PAD's length; before timer_create kept the reserve, the
    // 48 bytes of lengths around this one ended in an OOM kill after "timers created: ".
    const pad = 3638 - 2 * hostilePath('kobj-timer-bomb.elf').length;
    const r = await runHostile('kobj-timer-bomb.elf', ['raise'], 16, 60_000, { PAD: 'x'.repeat(pad) });
    const m = /^timers created: (\d+), then errno 11\n$/.exec(r.stdout);
    expect(m, `status ${r.status}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.messages)}`).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(10000);
    expect(Number(m![1])).toBeLessThanOrEqual(Math.floor((16 * MIB * 63) / 64 / 1184));
    expect(r.status).toBe(0);
    expectBounded(r, 16);
  }, 60_000);

  it('epoll bomb: interest entries stop at fs.epoll.max_user_watches (4% of RAM / 184 bytes) with ENOSPC; raised, at guest memory with ENOMEM (-m 64M)', async () => {
    const a = await runHostile('kobj-epoll-bomb.elf', ['64'], 64);
    // floor(floor(16384 pages / 25) * 4096 / 184)
    expect(a.stdout).toBe('epoll entries: 14580, then errno 28\n');
    expectBounded(a, 64);
    const b = await runHostile('kobj-epoll-bomb.elf', ['1024', '100000000'], 64);
    const m = /^epoll entries: (\d+), then errno 12\n$/.exec(b.stdout);
    expect(m, `status ${b.status}, stdout ${JSON.stringify(b.stdout)}, stderr ${b.messages.join(' | ')}`).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(65536);
    expect(b.stats).toMatch(/epoll-watch +0 KiB +\d{5} KiB/);
    expectBounded(b, 64);
  }, 120_000);

  it('futex-waiter bomb: each waiting thread queues a charged waiter; clone stops at threads-max (-m 64M)', async () => {
    const r = await runHostile('kobj-futex-bomb.elf', ['100000'], 64);
    expect(r.stdout).toBe('futex waiters: 511, then errno 11\n');
    expect(r.stats).toMatch(/futex-waiter +0 KiB +12\d KiB/);
    expectBounded(r, 64);
  }, 120_000);

  for (const elf of ['kobj-msg-bomb.elf', 'x86_64/kobj-msg-bomb.elf']) {
    it(`SysV message queue bomb (${elf}): queues and messages outlive the process, so they are charged and msgget/msgsnd answer ENOMEM when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      const m = /^queues made: (\d+), then errno 12\nmessages queued: (\d+)\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      const queues = Number(m![1]);
      const messages = Number(m![2]);
      // A queue holds two 8000-byte messages (MSGMNB 16384); once messages are refused, empty queues still fit for a while.
      expect(messages).toBeGreaterThan(queues);
      expect(messages).toBeLessThanOrEqual(2 * queues);
      // Each message is charged twice its text and header: together they take the guest's RAM less the reserve.
      const charged = messages * 2 * (8000 + 64) + queues * 256;
      expect(charged).toBeGreaterThan(0.9 * 64 * MIB);
      expect(charged).toBeLessThan(64 * MIB);
      expect(r.stats).toMatch(/sysv-msg +\d{5} KiB/);
      expect(r.status).toBe(0);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-xattr-bomb.elf', 'x86_64/kobj-xattr-bomb.elf']) {
    it(`extended-attribute bomb (${elf}): 64 KiB values count in the layer's inode space (nr_inodes KiB, half of RAM's pages), ENOSPC there (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      const m = /^xattrs set: (\d+), then errno 28\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // 8192 inodes' KiB over values of 64 KiB and their records: just under 128.
      const inodeSpace = ((64 * MIB) / 4096 / 2) * 1024;
      expect(Number(m![1])).toBe(Math.floor(inodeSpace / (65536 + 48 + 'user.aNN'.length)));
      expect(r.status).toBe(0);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-symlink-bomb.elf', 'x86_64/kobj-symlink-bomb.elf']) {
    it(`symlink bomb (${elf}): a target past 127 bytes takes a block of the layer, as on tmpfs, so the targets count in guest memory before a hog fills the rest (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      // The layer's default size is half of RAM: 8192 blocks, and as many inodes.
      expect(r.stdout).toBe('symlinks made: 8192, then errno 28\n');
      expect(r.messages[0]).toMatch(OOM_LINE);
      expect(r.status).toBe(137);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-sem-bomb.elf', 'x86_64/kobj-sem-bomb.elf']) {
    it(`SysV semaphore bomb (${elf}): sets of 32,000 outlive the process, so each is charged and semget answers ENOMEM when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      const m = /^semaphore sets made: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // Twice Linux's 64 bytes a semaphore: about 4 MiB a set, RAM less the reserve.
      const most = Math.floor(((64 * MIB) * (63 / 64)) / (2 * (256 + 64 * 32000)));
      expect(Number(m![1])).toBeGreaterThanOrEqual(most - 2);
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expect(r.stats).toMatch(/sysv-sem +\d{5} KiB/);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-unix-bomb.elf', 'x86_64/kobj-unix-bomb.elf']) {
    it(`AF_UNIX bomb (${elf}): empty datagrams count their truesize, sockets in flight are collected, live sockets stop at twice file-max`, async () => {
      const r = await runHostile(elf, [], GUEST_MIB);
      // 278 empty datagrams, as the host kernel (768 bytes of truesize each against 212992); fs.file-max is RAM / 10 KiB.
      expect(r.stdout).toBe('empty datagrams queued: 278, then errno 11\npairs sent in flight and closed: 50000\nsocketpairs: 26214, then errno 23\n');
      expect(r.stats).toMatch(/unix-socket +0 KiB +\d{6} KiB/);
      expectBounded(r);
    }, 120_000);

    it(`AF_UNIX bomb filling each pair (${elf}): the sockets and their queued datagrams spend guest memory, and socketpair answers ENOMEM (-m 64M)`, async () => {
      const r = await runHostile(elf, ['fill'], 64);
      const m = /\nsocketpairs: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // A pair: two sockets (2 KiB each), two descriptors, 278 datagrams charged twice their truesize.
      const most = Math.floor(((64 * MIB) * (63 / 64)) / (2 * 2048 + 2 * 320 + 278 * 2 * 768));
      expect(Number(m![1])).toBeGreaterThanOrEqual(most - 8);
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const [elf, kind, what, bytes] of [
    ['kobj-file-bomb.elf', 't', 'timerfds', 1024],
    ['kobj-file-bomb.elf', 'm', 'memfds', 2048],
    ['x86_64/kobj-file-bomb.elf', 'p', 'epoll instances', 1024],
    ['x86_64/kobj-file-bomb.elf', 'm', 'memfds', 2048],
    ['kobj-file-bomb.elf', 'i', 'TCP sockets', 4096],
  ] as const) {
    it(`open-file bomb (${elf}, ${what}, RLIMIT_NOFILE a million): each open file description is charged, and creating one answers ENOMEM when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, [kind], 64);
      const m = /^open files made: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // The description's charge and its descriptor's (320), in RAM less the reserve.
      const most = Math.floor(((64 * MIB) * (63 / 64)) / (bytes + 320));
      expect(Number(m![1])).toBeGreaterThanOrEqual(Math.floor(most * 0.99));
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expect(r.stats).toMatch(/open-file +\d+ KiB +\d{5} KiB/);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-link-bomb.elf', 'x86_64/kobj-link-bomb.elf']) {
    it(`hard-link bomb (${elf}): each link takes an inode, as tmpfs's shmem_link (the host kernel prints the same on a tmpfs of 100 inodes), so ENOSPC comes at statfs's free inodes (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      // nr_inodes is half of RAM's pages; the file itself holds one.
      expect(r.stdout).toBe('links made: 8191, then errno 28\nas many as statfs had free inodes\nfree inodes now: 0\nfree inodes after removing a link: 1\nlink again: 0\n');
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-deep-bomb.elf', 'x86_64/kobj-deep-bomb.elf']) {
    it(`deep-directory bomb (${elf}): a chain of 250-byte names stops at PATH_MAX (ENAMETOOLONG), then files at the bottom at nr_inodes (ENOSPC) (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      // 16 names of 251 bytes with their slashes fit under 4096; the 16 directories hold 16 inodes of 8192.
      expect(r.stdout).toBe('directories deep: 16, then errno 36\nfiles at the bottom: 8176, then errno 28\n');
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-semundo-bomb.elf', 'x86_64/kobj-semundo-bomb.elf']) {
    it(`SEM_UNDO bomb (${elf}): each child's undo array for a set of 32,000 is charged, and semop answers ENOMEM when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, [], 64);
      const m = /^children holding an undo: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // An undo array is charged twice 4 bytes a semaphore: at most 262 of them in 64 MiB, fewer with the children's own charges.
      expect(Number(m![1])).toBeGreaterThan(120);
      expect(Number(m![1])).toBeLessThan(Math.floor((64 * MIB) / (2 * 4 * 32000)));
      expect(r.stats).toMatch(/sysv-sem-undo +\d{5} KiB +\d{5} KiB/);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-mqueue-bomb.elf', 'x86_64/kobj-mqueue-bomb.elf']) {
    it(`POSIX message queue bomb (${elf}, root, RLIMIT_MSGQUEUE lifted): queues and their 1 MiB messages are charged, and mq_timedsend answers ENOMEM when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, ['m'], 64);
      const m = /^messages of 1 MiB queued: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // Each message is charged twice its text and header, in RAM less the reserve.
      const most = Math.floor(((64 * MIB) * (63 / 64)) / (2 * (MIB + 64)));
      expect(Number(m![1])).toBeGreaterThanOrEqual(most - 2);
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expect(r.stats).toMatch(/posix-mqueue +\d{5} KiB/);
      expect(r.status).toBe(0);
      expectBounded(r, 64);
    }, 120_000);

    it(`POSIX message queue bomb (${elf}): empty queues outlive their descriptors, each charged 2 KiB, so mq_open answers ENOMEM (-m 64M)`, async () => {
      const r = await runHostile(elf, ['q'], 64);
      const m = /^empty queues made: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      const most = Math.floor(((64 * MIB) * (63 / 64)) / 2048);
      expect(Number(m![1])).toBeGreaterThanOrEqual(Math.floor(most * 0.99));
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expectBounded(r, 64);
    }, 120_000);
  }

  it('POSIX message queue bomb, blocked senders: a sender waiting for room keeps no copy of its 16 MiB message on the host (100 of them held 1.6 GB)', async () => {
    const r = await runHostile('kobj-mqueue-bomb.elf', ['b', '100'], GUEST_MIB);
    // Each child maps its parent's 16 MiB as it reads the message: those mappings of shared frames are charged
    // (kind shared-mapping, 2 MiB a child), so the last few forks may find guest memory spent.
    const m = /^blocked senders: (\d+)\ntimed out: (\d+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(90);
    expect(Number(m![1])).toBeLessThanOrEqual(100);
    expect(m![2]).toBe(m![1]);
    expectBounded(r);
  }, 120_000);

  for (const elf of ['kobj-blocked-send-bomb.elf', 'x86_64/kobj-blocked-send-bomb.elf']) {
    for (const [kind, what] of [['p', 'write into a full pipe'], ['s', 'sendto into a full unix stream']] as const) {
      it(`blocked-sender bomb (${elf}, ${what}): 1000 threads each waiting to send 16 MiB keep no copy on the host (they held 2.4 GB)`, async () => {
        const r = await runHostile(elf, [kind], GUEST_MIB);
        expect(r.stdout).toBe('blocked writers: 1000\n');
        expect(r.status).toBe(0);
        expectBounded(r);
      }, 120_000);
    }

    it(`blocked-sender bomb (${elf}): one sendmsg of 1024 iovecs of 16 MiB takes what the socket holds, without copying 16 GiB first`, async () => {
      const r = await runHostile(elf, ['m'], GUEST_MIB);
      expect(r.stdout).toBe('sendmsg of 16 GiB took some\n');
      expectBounded(r);
    }, 120_000);
  }

  for (const elf of ['kobj-inotify-bomb.elf', 'x86_64/kobj-inotify-bomb.elf']) {
    it(`inotify bomb (${elf}, max_user_watches lifted): each watch is charged 1 KiB, and inotify_add_watch answers ENOMEM when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, ['w'], 64);
      const m = /^watches: (\d+), then errno 12\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      const most = Math.floor(((64 * MIB) * (63 / 64)) / 1024);
      expect(Number(m![1])).toBeGreaterThanOrEqual(Math.floor(most * 0.97));
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expect(r.stats).toMatch(/inotify +0 KiB +\d{5} KiB/);
      expectBounded(r, 64);
    }, 120_000);

    it(`inotify bomb (${elf}, max_queued_events lifted): queued events are charged, and the overflow event comes when guest memory is spent (-m 64M)`, async () => {
      const r = await runHostile(elf, ['e', '40000'], 64);
      const m = /^events queued: (\d+)\nthen the overflow event\n$/.exec(r.stdout);
      expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
      // An event with its 200-byte name is charged twice (64 + 2 x 200) bytes.
      const most = Math.floor(((64 * MIB) * (63 / 64)) / (2 * (64 + 400)));
      expect(Number(m![1])).toBeGreaterThanOrEqual(Math.floor(most * 0.98));
      expect(Number(m![1])).toBeLessThanOrEqual(most);
      expectBounded(r, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-mremap-bomb.elf', 'x86_64/kobj-mremap-bomb.elf']) {
    it(`mremap bomb (${elf}): a 2 GiB mapping never touched moves 16 times without its pages being faulted in, and touched pages move with their contents (the host kernel prints the same)`, async () => {
      const r = await runHostile(elf, [], GUEST_MIB);
      expect(r.stdout).toBe('moves of a 2 GiB mapping never touched: 16\ncontents kept\n');
      expect(r.status).toBe(0);
      expectBounded(r);
    }, 120_000);
  }

  for (const elf of ['kobj-vma-bomb.elf', 'x86_64/kobj-vma-bomb.elf']) {
    it(`VMA bomb (${elf}): mprotect splits stop at vm.max_map_count with ENOMEM; lifted, after a hog touched RAM, the regions' charges end in an OOM kill within the bound (-m 64M)`, async () => {
      const a = await runHostile(elf, [], 64);
      // 65530 regions: the host kernel (6.18, x86_64) stops at 32762, with two regions ([vvar], [vvar_vclock]) salty does not map.
      const m = /^splits: (\d+), then errno 12\n$/.exec(a.stdout);
      expect(m, a.stdout + a.messages.join('\n')).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(32760);
      expect(Number(m![1])).toBeLessThanOrEqual(32764);
      expectBounded(a, 64);
      const b = await runHostile(elf, ['raise', '56'], 64);
      expect(b.status).toBe(137);
      expect(b.stats).toMatch(/vma +0 KiB +\d{5} KiB/);
      expectBounded(b, 64);
    }, 120_000);
  }

  for (const elf of ['kobj-dir-bomb.elf', 'x86_64/kobj-dir-bomb.elf']) {
    it(`directory bomb (${elf}): 30,000 entries read one a call take one listing per read, not one per call (the host kernel prints the same on tmpfs)`, async () => {
      const r = await runHostile(elf, ['30000', '300'], GUEST_MIB);
      expect(r.stdout).toBe('created\n' + 'getdents calls: 30000\n'.repeat(3));
      expect(r.stats).toMatch(/dir-listing +0 KiB +\d{5} KiB/);
      expectBounded(r);
    }, 120_000);
  }

  for (const elf of ['kobj-cork-bomb.elf', 'x86_64/kobj-cork-bomb.elf']) {
    for (const [kind, golden] of [
      ['t', 'MSG_MORE sends of 16 MiB: 1, then errno 11\n'],
      ['u', 'MSG_MORE sends of 16 MiB: 0, then errno 90\n'],
    ] as const) {
      it(`MSG_MORE bomb (${elf}, ${kind === 't' ? 'TCP' : 'UDP'}): corked bytes take the send buffer's room (EAGAIN) or a datagram's 65507 bytes (EMSGSIZE), as the host kernel answers`, async () => {
        const r = await runHostile(elf, [kind], GUEST_MIB);
        expect(r.stdout).toBe(golden);
        expect(r.status).toBe(0);
        expectBounded(r);
      }, 120_000);
    }
  }

  it('memfd and shared-mapping bomb: the shared pages and their file copies fill guest memory, and memfd_create answers ENOMEM (keeping the reserve)', async () => {
    const r = await runHostile('kobj-memfd-bomb.elf', [], GUEST_MIB);
    const m = /^memfds mapped: (\d+), then errno 12\n$/.exec(r.stdout);
    expect(m, r.stdout + r.messages.join('\n')).not.toBeNull();
    // Each: a MiB of shared pages and its copy charged twice.
    expect(Number(m![1])).toBeGreaterThan(78);
    expect(Number(m![1])).toBeLessThanOrEqual(GUEST_MIB / 3);
    expect(r.status).toBe(0);
    expect(r.stats).toMatch(/shared-file-copy +0 KiB +\d{6} KiB/);
    expectBounded(r);
  }, 90_000);
});
