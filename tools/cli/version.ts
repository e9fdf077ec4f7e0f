// The package version, embedded by tools/build.mjs (esbuild define) from
// package.json, so a bundle copied anywhere still knows what it is.

declare const __SALTY_VERSION__: string | undefined;

/** package.json's version in a built bundle; 'unbundled' when run from the sources. */
export const VERSION: string = typeof __SALTY_VERSION__ === 'string' ? __SALTY_VERSION__ : 'unbundled';
