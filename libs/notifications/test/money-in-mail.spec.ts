/**
 * Amounts in e-mails are the API's integer minor units with ISO 4217's decimals: COP has two
 * (centavos) even though Intl shows pesos without decimals by default, so an amount of
 * 18,000,000 minor units is 180.000,00 pesos, never 18 millions. The console formats with the
 * same table (apps/web/src/shared/money.ts; test/web/console-logic.spec.ts).
 */
import { formatMoney } from '../src/mail/templates';

describe('money in e-mails', () => {
  it('writes minor units exactly, with ISO 4217 decimals', () => {
    expect(formatMoney(18_000_000, 'COP', 'es-CO')).toMatch(/^\$\s?180\.000,00$/);
    expect(formatMoney(125_050, 'MXN', 'es-MX')).toBe('$1,250.50');
    expect(formatMoney(9_007_199_254_740_991, 'MXN', 'en')).toBe('MX$90,071,992,547,409.91');
    expect(formatMoney(1.5, 'MXN', 'es-MX')).toBe('');
  });
});
