// The 80-bit extended-precision library (the x87's arithmetic).

export * from './float80';
export { add80, div80, mul80, sqrt80 } from './arith80';
export { fromF32, fromF64, fromInt64, toFloat, toInt } from './convert80';
export { Dest } from './round80';
export { extract80, EXPONENT, roundInt80, scale80 } from './scale80';
export { prem80 } from './prem80';
export { compare80, examine80, Order, orderToEflags } from './compare80';
export { loadConstant } from './const80';
export type { ConstantName } from './const80';
export { fromBcd, toBcd } from './bcd80';
export { f2xm1, fpatan, fyl2x, fyl2xp1, trig, Trig } from './trans80';
