import type { Classification } from '../api/views';
import type { Translate } from '../i18n/types';

/** "Alta" / "Severidad 1" */
export function classificationLabel(value: Classification | null | undefined, t: Translate): string {
  if (value === null || value === undefined) return t('classification.none');
  if (typeof value === 'number' || /^[1-4]$/.test(String(value))) return t('classification.severity', { n: Number(value) });
  return t(`priority.${value as 'low' | 'medium' | 'high'}`);
}
