// Sizes as users write them on command lines: 256M, 1G, 65536.

const UNITS: Record<string, number> = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 };

export function parseSize(text: string): number {
  const m = /^(\d+)([KMG]?)(i?B)?$/i.exec(text.trim());
  if (!m) throw new Error(`-m ${text}: expected a size like 256M or 1G`);
  const bytes = Number(m[1]) * UNITS[m[2].toUpperCase()];
  if (bytes < 1 << 20 || bytes > 2 ** 32 || bytes % 65536 !== 0) throw new Error(`-m ${text}: RAM must be between 1M and 4G, a multiple of 64K`);
  return bytes;
}

/** --root-size: the writable layer's size as tmpfs's size= takes it (bytes with K/M/G, or a percentage of RAM), rounded up to whole pages. */
export function parseRootSize(text: string, ramBytes: number): number {
  const pct = /^(\d+)%$/.exec(text.trim());
  const m = /^(\d+)([KMG]?)(i?B)?$/i.exec(text.trim());
  if (!pct && !m) throw new Error(`--root-size ${text}: expected a size like 64M, 1G or 50%`);
  const bytes = pct ? Math.floor((ramBytes * Number(pct[1])) / 100) : Number(m![1]) * UNITS[m![2].toUpperCase()];
  return Math.ceil(bytes / 4096) * 4096;
}
