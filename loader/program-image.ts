/** The plain description of an executable that the loader hands to the kernel. */

export type Machine = 'aarch64' | 'x86_64';

/** 'exec' is ET_EXEC (fixed addresses); 'pie' is an ET_DYN (a PIE, a static-pie or a shared object such as ld.so) placed at a load base. */
export type ImageType = 'exec' | 'pie';

export interface SegmentFlags {
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
}

/** One PT_LOAD segment, addresses already relocated by the load base. */
export interface LoadSegment {
  /** Upper-half addresses (kernel images only) are negative: the signed value of the 64-bit address. */
  readonly vaddr: number;
  /**
   * p_paddr as the file gives it (not moved by a static-pie's load base):
   * where `-kernel` style loading puts the segment in physical memory.
   */
  readonly paddr: number;
  readonly memsz: number;
  readonly filesz: number;
  readonly fileOffset: number;
  readonly flags: SegmentFlags;
  readonly align: number;
  /** The segment's file bytes (filesz of them): a view into the file, not a copy. */
  readonly data: Uint8Array;
}

/** The PT_TLS template: filesz initialised bytes then zeros up to memsz. */
export interface TlsTemplate {
  readonly vaddr: number;
  readonly memsz: number;
  readonly filesz: number;
  readonly align: number;
  readonly data: Uint8Array;
}

export interface ProgramImage {
  readonly fileName: string;
  readonly machine: Machine;
  readonly type: ImageType;
  /** What was added to every address of the file: 0 for 'exec'. */
  readonly loadBase: number;
  readonly entry: number;
  /** PT_LOAD segments in file order (which the ELF spec requires to be ascending by vaddr). */
  readonly segments: readonly LoadSegment[];
  /** Where the program headers are mapped (AT_PHDR), or null when no segment maps them. */
  readonly phdrAddress: number | null;
  readonly phent: number;
  readonly phnum: number;
  /** PT_GNU_STACK's flags, or null when the file has no PT_GNU_STACK. */
  readonly gnuStack: SegmentFlags | null;
  readonly tls: TlsTemplate | null;
  /** PT_INTERP's path (the dynamic linker the program asks for), or null for a static program. */
  readonly interpreter: string | null;
}
