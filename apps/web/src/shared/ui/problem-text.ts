import { isProblem } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { useFormat } from '../session/format';

/** the reason of a refused request in the user's language: `problem.<code>`, else the server's detail */
export function useProblemText() {
  const { tx, t } = useI18n();
  const f = useFormat();
  return (error: unknown): string => {
    if (!isProblem(error)) return t('problem.network');
    const p = error.problem;
    const vars: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(p)) if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
    if (typeof p.availableAt === 'string') vars.availableAt = f.instant(p.availableAt);
    if (typeof p.minutesAuthorized === 'number' && typeof p.minutesLogged === 'number') {
      vars.minutesLeft = f.minutes(p.minutesAuthorized - p.minutesLogged);
      vars.minutesAuthorizedText = f.minutes(p.minutesAuthorized);
    }
    if (typeof p.authorizedMinutes === 'number' && typeof p.minutesDeducted === 'number') {
      vars.minutesLeft = f.minutes(p.authorizedMinutes - p.minutesDeducted);
      vars.minutesAuthorizedText = f.minutes(p.authorizedMinutes);
    }
    if (typeof p.minutesRemaining === 'number') vars.minutesRemainingText = f.minutes(p.minutesRemaining);
    return tx(`problem.${p.code}`, p.detail ?? p.code, vars);
  };
}
