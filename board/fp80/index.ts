// The 80-bit extended-precision library (the x87's arithmetic).

export * from './float80';
export { add80, div80, mul80, sqrt80 } from './arith80';
