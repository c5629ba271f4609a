// Resource quantities ("250m", "1.5Gi", "2e3") as the scheduler compares them: CPU in millicores
// (Quantity.MilliValue) and everything else in whole units (Quantity.Value), both rounded up as
// apimachinery's resource.Quantity does. Exact decimal arithmetic, so "0.1" cpu is 100m, not 101m.
// https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go

const pattern = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const decimalExponents: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binaryExponents: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** ceil(quantity × 10^scale) as a number; throws on a malformed quantity. */
function scaled(quantity: string, scale: number): number {
  const match = pattern.exec(quantity.trim());
  const [, sign = '', whole = '', fraction = '', suffix = ''] = match ?? [];
  if (!match || whole.length + fraction.length === 0) throw new Error(`invalid quantity "${quantity}"`);
  let exponent = scale - fraction.length;
  let binary = 0;
  if (suffix in binaryExponents) binary = binaryExponents[suffix] as number;
  else if (suffix in decimalExponents) exponent += decimalExponents[suffix] as number;
  else if (suffix) exponent += Number(suffix.slice(1));
  let value = BigInt(`${whole}${fraction}` || '0') << BigInt(binary);
  if (exponent >= 0) value *= 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    // Round away from zero, as Quantity.MilliValue/Value do for positive amounts.
    value = (value + divisor - 1n) / divisor;
  }
  return sign === '-' ? -Number(value) : Number(value);
}

const milliCache = new Map<string, number>();
const unitCache = new Map<string, number>();
const maxCached = 10_000;

function cached(cache: Map<string, number>, quantity: string, scale: number): number {
  let value = cache.get(quantity);
  if (value === undefined) {
    value = scaled(quantity, scale);
    if (cache.size >= maxCached) cache.clear();
    cache.set(quantity, value);
  }
  return value;
}

/** Quantity.MilliValue: "250m" → 250, "2" → 2000. */
export function milliValue(quantity: string | number): number {
  return cached(milliCache, String(quantity), 3);
}

/** Quantity.Value: "64Mi" → 67108864, "1k" → 1000, "100m" → 1. */
export function unitValue(quantity: string | number): number {
  return cached(unitCache, String(quantity), 0);
}
