import { expect, test, vi } from 'vitest';
import { ElfError } from '../../loader/elf-error';
import { parseElfImage } from '../../loader/elf-image';
import { fixture } from './loader-fixtures';

// elfy throws plain Errors (and TypeErrors) on input it cannot walk; make it do so on a valid file.
vi.mock('elfy', () => ({
  default: {
    Parser: class {
      parseHeader(): never {
        throw new TypeError("Cannot read properties of undefined (reading 'type')\n    at Parser.resolveBody");
      }
    },
  },
}));

test('an exception inside elfy becomes a one-line ElfError', () => {
  const run = (): unknown => parseElfImage(fixture('hello-nostdlib-aarch64.elf'), { fileName: 'x.elf' });
  expect(run).toThrow(ElfError);
  expect(run).toThrow(/^x\.elf: malformed ELF: Cannot read properties of undefined \(reading 'type'\)$/);
});
