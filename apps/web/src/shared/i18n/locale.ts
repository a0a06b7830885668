import type { Language } from '../api/views';

/** the Intl locale of a console language ("en" writes as in the United States) */
export const intlLocale = (language: Language): string => (language === 'en' ? 'en-US' : language);
