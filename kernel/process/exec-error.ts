// Why an executable cannot be started: one line for the command line, and the
// errno a guest's execve returns for it.

import { ElfError } from '../../loader/elf-error';

export class ExecError extends ElfError {
  constructor(
    fileName: string,
    problem: string,
    /** The positive errno execve answers (ENOENT, ENOMEM, ELIBBAD, ENOEXEC). */
    readonly errno: number,
  ) {
    super(fileName, problem);
    this.name = 'ExecError';
  }
}
