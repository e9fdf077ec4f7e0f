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

/**
 * The new stack cannot hold the argument and environment pointers and the
 * auxiliary vector within RLIMIT_STACK: Linux finds this past its point of no
 * return and kills the process with SIGSEGV (the caller's execve never returns).
 */
export class InitialStackTooLarge extends ExecError {}
