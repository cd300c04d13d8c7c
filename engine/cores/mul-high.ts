// The high word of 32x32-bit products (MULH, MULHU, MULHSU), exact in doubles without BigInt.

/** Upper 32 bits of the signed 64-bit product. */
export function mulhSigned(a: number, b: number): number {
  // Signed from unsigned: subtract the other operand once for each negative factor (mod 2^32).
  return (mulhuParts(a >>> 0, b >>> 0) - (a < 0 ? b >>> 0 : 0) - (b < 0 ? a >>> 0 : 0)) | 0;
}

export function mulhUnsigned(a: number, b: number): number {
  return mulhuParts(a >>> 0, b >>> 0);
}

export function mulhSignedUnsigned(a: number, b: number): number {
  // (a as signed) * (b as unsigned) = a_u * b_u - (a < 0 ? b_u << 32 : 0)
  const high = mulhuParts(a >>> 0, b >>> 0);
  return a < 0 ? (high - (b >>> 0)) | 0 : high;
}

/** High word of an unsigned 32x32 product using 16-bit limbs (exact in doubles, no BigInt). */
function mulhuParts(a: number, b: number): number {
  const aLo = a & 0xffff, aHi = a >>> 16, bLo = b & 0xffff, bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
}
