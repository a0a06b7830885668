/**
 * The loaded message catalogs (i18n.tsx speaks through them). Plain TypeScript, without React,
 * so test/web/i18n-parts.spec.ts runs it.
 */
import type { Language } from '../api/views';
import { esMXCore, type MessageKey } from './catalogs/es-MX';
import { messageText } from './message';
import type { Vars } from './types';

/**
 * es-MX's core is always there (the default); the other languages load when chosen, and the
 * part 2 screens' messages (case replay, audit, finance, dashboard, administration:
 * catalogs/*.insights.ts) load with those screens (`withInsights`), for a smaller first screen.
 */
const catalogs: Partial<Record<Language, Record<string, string>>> = { 'es-MX': esMXCore };
let reference: Record<string, string> = esMXCore;
const loaders: Record<Language, () => Promise<Record<string, string>>> = {
  'es-MX': async () => esMXCore,
  'es-CO': () => import('./catalogs/es-CO').then((m) => m.esCOCore),
  en: () => import('./catalogs/en').then((m) => m.enCore),
};
const insightsLoaders: Record<Language, () => Promise<Record<string, string>>> = {
  'es-MX': () => import('./catalogs/es-MX.insights').then((m) => m.esMXInsights),
  'es-CO': () =>
    Promise.all([import('./catalogs/es-MX.insights'), import('./catalogs/es-CO.insights')]).then(([mx, co]) => ({
      ...mx.esMXInsights,
      ...(co.esCOInsightsDifferences as Record<string, string>),
    })),
  en: () => import('./catalogs/en.insights').then((m) => m.enInsights),
};
let insightsWanted = false;
const insightsLoaded = new Set<Language>();

async function loadInsightsFor(language: Language): Promise<void> {
  if (insightsLoaded.has(language)) return;
  const messages = await insightsLoaders[language]();
  catalogs[language] = { ...catalogs[language], ...messages };
  if (language === 'es-MX') reference = catalogs['es-MX']!;
  insightsLoaded.add(language);
}

export const isCatalogLoaded = (language: Language): boolean => catalogs[language] !== undefined;

export async function loadCatalog(language: Language): Promise<void> {
  if (insightsWanted) await loadInsightsFor('es-MX');
  if (!catalogs[language]) {
    const [core, insights] = await Promise.all([loaders[language](), insightsWanted ? insightsLoaders[language]() : undefined]);
    catalogs[language] = Object.assign({}, core, insights, catalogs[language]);
    if (insights) insightsLoaded.add(language);
  }
  if (insightsWanted) await loadInsightsFor(language);
}

/** the part 2 screens' messages, in every language loaded so far (and in those loaded later) */
export async function loadInsights(): Promise<void> {
  insightsWanted = true;
  await Promise.all((Object.keys(catalogs) as Language[]).map(loadInsightsFor));
}

/** a lazily loaded screen that speaks with the part 2 messages: they load before it renders */
export function withInsights<T>(load: () => Promise<T>): () => Promise<T> {
  return () => Promise.all([load(), loadInsights()]).then(([screen]) => screen);
}

export function translate(language: Language, key: MessageKey, vars?: Vars): string {
  return messageText(catalogs[language] ?? reference, reference, key, vars);
}

/** a message key chosen at run time (enums from the API); falls back to the raw value */
export function translateOptional(language: Language, key: string, fallback: string, vars?: Vars): string {
  return key in reference ? translate(language, key as MessageKey, vars) : fallback;
}

