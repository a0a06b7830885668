/**
 * Message catalogs and the `t` function. Every visible string comes from a catalog:
 * es-MX (default), es-CO and en; test/web/catalogs.spec.ts fails on a key missing from any of
 * them or used in the code but absent. Variables are written {name}. A message with a count
 * {n} has its singular beside it under `<key>.one`, used when n is 1.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '../api/views';
import type { MessageKey } from './catalogs/es-MX';
import { translate, translateOptional } from './catalog-store';
import type { Translate, Vars } from './types';

export { isCatalogLoaded, loadCatalog, loadInsights, translate, translateOptional, withInsights } from './catalog-store';

export type { MessageKey, Translate, Vars };

export const LANGUAGES: Language[] = ['es-MX', 'es-CO', 'en'];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as string[]).includes(value);
}

interface I18n {
  language: Language;
  t: Translate;
  /** t for keys built from API values (`status.${status}`), with a fallback */
  tx: (key: string, fallback: string, vars?: Vars) => string;
  setLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ language, setLanguage, children }: { language: Language; setLanguage: (l: Language) => void; children: ReactNode }) {
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, vars) => translate(language, key, vars),
      tx: (key, fallback, vars) => translateOptional(language, key, fallback, vars),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

export const useT = (): Translate => useI18n().t;
