/**
 * The one error the loader throws for a bad ELF file. Its message is a single
 * line, "<file>: <problem>", fit to show a user as is.
 */
export class ElfError extends Error {
  readonly fileName: string;
  readonly problem: string;

  constructor(fileName: string, problem: string) {
    const file = oneLine(fileName);
    const text = oneLine(problem);
    super(`${file}: ${text}`);
    this.name = 'ElfError';
    this.fileName = file;
    this.problem = text;
  }
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Formats an address or size for a message: 0x-prefixed lowercase hex. */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}
