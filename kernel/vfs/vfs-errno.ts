// errno values of the filesystem layer (Linux numbering).

export const EPERM = 1;
export const ENOENT = 2;
export const EAGAIN = 11;
export const EACCES = 13;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EFBIG = 27;
export const EPIPE = 32;
export const ELOOP = 40;
export const ENOTEMPTY = 39;
export const ENXIO = 6;
export const ENAMETOOLONG = 36;
export const ENOSPC = 28;
