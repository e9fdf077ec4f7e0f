// The errno values the syscalls return (negated), as Linux numbers them.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EMFILE = 24;
export const ENOTTY = 25;
export const EFBIG = 27;
export const ETXTBSY = 26;
export const ESPIPE = 29;
export const EROFS = 30;
export const EPIPE = 32;
export const ERANGE = 34;
export const ENAMETOOLONG = 36;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const ETIMEDOUT = 110;
export const EBUSY = 16;
export const ENOSPC = 28;
export const EDEADLK = 35;
export const ENOLCK = 37;
export const ENOMSG = 42;
export const EIDRM = 43;
export const EOVERFLOW = 75;
export const EBADFD = 77;
export const EOPNOTSUPP = 95;

const NAMES: Record<number, string> = {
  1: 'EPERM: Operation not permitted',
  2: 'ENOENT: No such file or directory',
  3: 'ESRCH: No such process',
  4: 'EINTR: Interrupted system call',
  8: 'ENOEXEC: Exec format error',
  9: 'EBADF: Bad file descriptor',
  10: 'ECHILD: No child processes',
  11: 'EAGAIN: Resource temporarily unavailable',
  12: 'ENOMEM: Cannot allocate memory',
  13: 'EACCES: Permission denied',
  14: 'EFAULT: Bad address',
  17: 'EEXIST: File exists',
  20: 'ENOTDIR: Not a directory',
  21: 'EISDIR: Is a directory',
  22: 'EINVAL: Invalid argument',
  24: 'EMFILE: Too many open files',
  25: 'ENOTTY: Inappropriate ioctl for device',
  26: 'ETXTBSY: Text file busy',
  29: 'ESPIPE: Illegal seek',
  32: 'EPIPE: Broken pipe',
  34: 'ERANGE: Numerical result out of range',
  38: 'ENOSYS: Function not implemented',
  39: 'ENOTEMPTY: Directory not empty',
  40: 'ELOOP: Too many levels of symbolic links',
  110: 'ETIMEDOUT: Connection timed out',
};

export function errnoName(e: number): string {
  return NAMES[e] ?? `errno ${e}`;
}
