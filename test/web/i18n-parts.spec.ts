/**
 * The console's catalogs in parts: the first screen has es-MX's core; the part 2 screens'
 * messages (catalogs/*.insights.ts) load with those screens, in every language loaded before
 * or after (shared/i18n/i18n.tsx).
 */
import { en } from '../../apps/web/src/shared/i18n/catalogs/en';
import { esCO } from '../../apps/web/src/shared/i18n/catalogs/es-CO';
import { esMX, esMXCore } from '../../apps/web/src/shared/i18n/catalogs/es-MX';
import { esMXInsights } from '../../apps/web/src/shared/i18n/catalogs/es-MX.insights';
import { loadCatalog, translate, withInsights } from '../../apps/web/src/shared/i18n/catalog-store';

describe('message catalogs in parts', () => {
  const insightKey = 'replay.event.TicketOpened' as const;

  it('the core leaves the part 2 messages out, the reference catalog has them all', () => {
    expect(insightKey in esMXCore).toBe(false);
    expect(Object.keys(esMX).length).toBe(Object.keys(esMXCore).length + Object.keys(esMXInsights).length);
    expect(esMX[insightKey]).toBe(esMXInsights[insightKey]);
  });

  it('part 2 messages appear once a part 2 screen has loaded, in the languages loaded before and after', async () => {
    await loadCatalog('en');
    expect(translate('es-MX', insightKey)).toBe(insightKey); // not loaded yet: the key itself
    expect(translate('en', 'nav.audit')).toBe(en['nav.audit']); // the header's words are core
    const screen = await withInsights(async () => 'screen')();
    expect(screen).toBe('screen');
    expect(translate('es-MX', insightKey)).toBe(esMX[insightKey]);
    expect(translate('en', insightKey)).toBe(en[insightKey]);
    await loadCatalog('es-CO');
    expect(translate('es-CO', insightKey)).toBe(esCO[insightKey]);
    expect(esCO[insightKey]).not.toBe(esMX[insightKey]); // "radicado"
    expect(translate('es-CO', 'nav.newTicket')).toBe(esCO['nav.newTicket']);
  });
});
