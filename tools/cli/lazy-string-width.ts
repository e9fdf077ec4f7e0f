// The command line's `string-width` (yargs lays out its help with it, through
// cliui and wrap-ansi): the package, loaded at the first call. Its module
// builds Unicode property regular expressions (RGI_Emoji among them) and an
// Intl.Segmenter when it is evaluated, about a quarter of the bundle's start-up
// for a `salty run` that never prints help. tools/build.mjs points every copy
// of the package in the bundle here; this module's own import is the real one.

declare const require: (id: string) => { default: (text: string, options?: object) => number };

let measure: ((text: string, options?: object) => number) | undefined;

export default function stringWidth(text: string, options?: object): number {
  measure ??= require('string-width').default;
  return measure(text, options);
}
