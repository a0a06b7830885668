import type { Vars } from './types';

/**
 * A message of `catalog` (the reference catalog's when missing) with its {variables} filled in.
 * A message about a count has its singular beside it under `<key>.one`, used when {n} is 1
 * ("1 ticket", never "1 tickets").
 */
export function messageText(catalog: Record<string, string>, reference: Record<string, string>, key: string, vars?: Vars): string {
  const singular = vars && Number(vars.n) === 1 ? (catalog[`${key}.one`] ?? reference[`${key}.one`]) : undefined;
  const text = singular ?? catalog[key] ?? reference[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
