// PT_INTERP: finding and parsing the dynamic linker a program asks for,
// through the guest's filesystem (so -L's sysroot is searched first).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ElfError } from '../../loader/elf-error';
import { parseElfImage } from '../../loader/elf-image';
import type { ProgramImage } from '../../loader/program-image';
import { PAGE_SIZE } from '../arch/arch';
import { MEM_FILE_MAX } from '../vfs/open-file';
import type { OverlayFs } from '../vfs/overlay-fs';

const ENOMEM = 12;
import { ExecError } from './exec-error';
import type { ExecFile } from './process-image';

const ENOENT = 2;
const EACCES = 13;
const ELIBBAD = 80;

/** Debian's cross sysroot (libc6-arm64-cross): named in the error when an interpreter is missing. */
export const DEBIAN_CROSS_SYSROOT = '/usr/aarch64-linux-gnu';

/** The program's interpreter, parsed (at load base 0: the kernel places it), or null for a static program. */
export function loadInterpreter(fs: OverlayFs, program: ProgramImage): ExecFile | null {
  const wanted = program.interpreter;
  if (wanted === null) return null;
  const r = fs.resolve('/', wanted, true);
  if (typeof r === 'number' || r.node === null) throw new ExecError(program.fileName, missingText(fs, wanted), ENOENT);
  if (r.node.kind !== 'file') throw new ExecError(program.fileName, `interpreter ${r.path} is not a regular file`, EACCES);
  if (fs.attrs(r.node).size > MEM_FILE_MAX) throw new ExecError(program.fileName, `interpreter ${r.path} is too large to load`, ENOMEM);
  const bytes = fs.contents(r.node);
  try {
    const image = parseElfImage(bytes, { fileName: r.path, expectedMachine: program.machine, loadBase: 0, baseAlignment: PAGE_SIZE });
    return { image, path: r.path, ino: fs.attrs(r.node).ino };
  } catch (e) {
    if (e instanceof ElfError) throw new ExecError(program.fileName, `bad interpreter ${e.fileName}: ${e.problem}`, ELIBBAD);
    throw e;
  }
}

function missingText(fs: OverlayFs, wanted: string): string {
  const places = [...(fs.sysroot !== null ? [join(fs.sysroot, wanted)] : []), fs.hostRoot === null ? `${wanted} (in-memory root)` : join(fs.hostRoot, wanted)];
  const hint =
    fs.sysroot !== DEBIAN_CROSS_SYSROOT && existsSync(join(DEBIAN_CROSS_SYSROOT, wanted))
      ? `; Debian's cross sysroot has it: salty run -L ${DEBIAN_CROSS_SYSROOT} ...`
      : fs.sysroot === null
        ? '; give the directory that holds it with -L DIR (or QEMU_LD_PREFIX)'
        : '';
  return `interpreter ${wanted} not found (looked for ${places.join(' and ')})${hint}`;
}
