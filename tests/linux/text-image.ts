// A program image of one read-execute segment at 0x400000, for tests that
// spawn hand-made code straight into a LinuxSystem.

import type { ProgramImage } from '../../loader/program-image';

export const TEXT = 0x40_0000;

/** One segment at TEXT holding data, entered at its first byte. */
export function textImage(name: string, machine: ProgramImage['machine'], data: Uint8Array): ProgramImage {
  return {
    fileName: name,
    machine,
    type: 'exec',
    loadBase: 0,
    entry: TEXT,
    segments: [{ vaddr: TEXT, paddr: TEXT, memsz: data.length, filesz: data.length, fileOffset: 0, flags: { read: true, write: false, execute: true }, align: 4096, data }],
    phdrAddress: null,
    phent: 56,
    phnum: 1,
    gnuStack: null,
    tls: null,
    interpreter: null,
  };
}

/** An aarch64 image of little-endian instruction words. */
export function wordsImage(name: string, words: readonly number[]): ProgramImage {
  const data = new Uint8Array(words.length * 4);
  const view = new DataView(data.buffer);
  words.forEach((w, i) => view.setUint32(4 * i, w, true));
  return textImage(name, 'aarch64', data);
}
