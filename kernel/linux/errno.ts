// The errno values the syscalls return (negated), as Linux numbers them.

export const EPERM = 1;
export const ENOENT = 2;
export const EBADF = 9;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ESPIPE = 29;
export const ERANGE = 34;
export const ENOSYS = 38;

const NAMES: Record<number, string> = {
  1: 'EPERM: Operation not permitted',
  2: 'ENOENT: No such file or directory',
  9: 'EBADF: Bad file descriptor',
  12: 'ENOMEM: Cannot allocate memory',
  14: 'EFAULT: Bad address',
  22: 'EINVAL: Invalid argument',
  25: 'ENOTTY: Inappropriate ioctl for device',
  29: 'ESPIPE: Illegal seek',
  34: 'ERANGE: Numerical result out of range',
  38: 'ENOSYS: Function not implemented',
};

export function errnoName(e: number): string {
  return NAMES[e] ?? `errno ${e}`;
}
