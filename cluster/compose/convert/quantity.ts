// Kubernetes resource.Quantity serialisation for the two forms kompose produces.

/**
 * A byte count in canonical DecimalExponent form, which kompose gets for memory
 * (`NewQuantity(n, <unknown format>)`): 10000 → `10e3`, 52428800 → `52428800`.
 */
export function decimalExponent(value: number): string {
  if (value === 0) return '0';
  let mantissa = BigInt(Math.trunc(value));
  let exponent = 0;
  while (mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

/** Milli-units in canonical DecimalSI form: 500 → `500m`, 2000 → `2`. */
export function milliQuantity(milli: number): string {
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
}
