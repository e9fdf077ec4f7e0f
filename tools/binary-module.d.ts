// Files esbuild embeds as bytes (loader 'binary').
declare module '*.elf' {
  const bytes: Uint8Array;
  export default bytes;
}
