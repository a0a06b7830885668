/**
 * Money is integer minor units; time is integer minutes. No floats anywhere:
 * price(rate per hour, minutes) = rate * minutes / 60 rounded half-up to a whole minor
 * unit, computed with BigInt: floor((rate * minutes + 30) / 60).
 *   e.g. rate 100 (1.00/h) for 1 min = 1.666.. -> 2; for 10 min = 16.66.. -> 17;
 *        rate 90 for 1 min = 1.5 -> 2 (half-up); rate 150 for 20 min = 50 exactly.
 *
 * Work logged against a per-event authorization is charged cumulatively so that rounding
 * never accumulates: the charge of an entry is price(rate, logged so far + minutes) -
 * price(rate, logged so far), each capped at the quote's amount. The charges of an
 * authorization therefore add up to price(rate, total minutes logged), and never exceed
 * the amount the customer accepted (relevant when the quote's amount was set below the rate).
 */
export function priceForMinutes(hourlyRateMinor: number, minutes: number): number {
  const product = BigInt(hourlyRateMinor) * BigInt(minutes);
  const result = (product + 30n) / 60n; // both non-negative: BigInt division truncates = floor
  const n = Number(result);
  if (!Number.isSafeInteger(n)) throw new RangeError('amount exceeds the safe integer range');
  return n;
}

export function chargeForEntry(hourlyRateMinor: number, minutesLoggedBefore: number, minutes: number, capMinor: number): number {
  const before = Math.min(capMinor, priceForMinutes(hourlyRateMinor, minutesLoggedBefore));
  const after = Math.min(capMinor, priceForMinutes(hourlyRateMinor, minutesLoggedBefore + minutes));
  return after - before;
}
