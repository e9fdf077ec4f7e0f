// The 80-bit extended-precision library (the x87's arithmetic).

export * from './float80';
export { add80, div80, mul80, sqrt80 } from './arith80';
export { fromF32, fromF64, fromInt64, toFloat, toInt } from './convert80';
export { Dest } from './round80';
