// Capability rights as a bit set.

export const RIGHT_READ = 1;
export const RIGHT_WRITE = 2;
export const RIGHT_EXECUTE = 4;
export const RIGHT_MAP = 8;
export const RIGHT_GRANT = 16;
export const ALL_RIGHTS = 31;

export function isSubset(rights: number, of: number): boolean {
  return (rights & ~of) === 0;
}

export function formatRights(rights: number): string {
  const names: [number, string][] = [[RIGHT_READ, 'r'], [RIGHT_WRITE, 'w'], [RIGHT_EXECUTE, 'x'], [RIGHT_MAP, 'm'], [RIGHT_GRANT, 'g']];
  return names.map(([bit, n]) => ((rights & bit) !== 0 ? n : '-')).join('');
}
