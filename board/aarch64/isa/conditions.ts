// Condition codes (Arm ARM C1.2.4) evaluated against NZCV held as f[0..3].

export function conditionHolds(f: Int32Array, cond: number): boolean {
  let result: boolean;
  switch (cond >>> 1) {
    case 0:
      result = f[1] === 1; // EQ
      break;
    case 1:
      result = f[2] === 1; // CS
      break;
    case 2:
      result = f[0] === 1; // MI
      break;
    case 3:
      result = f[3] === 1; // VS
      break;
    case 4:
      result = f[2] === 1 && f[1] === 0; // HI
      break;
    case 5:
      result = f[0] === f[3]; // GE
      break;
    case 6:
      result = f[1] === 0 && f[0] === f[3]; // GT
      break;
    default:
      return true; // AL, NV
  }
  return (cond & 1) === 1 ? !result : result;
}

/** A predicate specialised for one condition, so a decoded instruction pays no switch. */
export function makeCondition(f: Int32Array, cond: number): () => boolean {
  switch (cond) {
    case 0:
      return () => f[1] === 1;
    case 1:
      return () => f[1] === 0;
    case 2:
      return () => f[2] === 1;
    case 3:
      return () => f[2] === 0;
    case 4:
      return () => f[0] === 1;
    case 5:
      return () => f[0] === 0;
    case 6:
      return () => f[3] === 1;
    case 7:
      return () => f[3] === 0;
    case 8:
      return () => f[2] === 1 && f[1] === 0;
    case 9:
      return () => !(f[2] === 1 && f[1] === 0);
    case 10:
      return () => f[0] === f[3];
    case 11:
      return () => f[0] !== f[3];
    case 12:
      return () => f[1] === 0 && f[0] === f[3];
    case 13:
      return () => !(f[1] === 0 && f[0] === f[3]);
    default:
      return () => true;
  }
}
