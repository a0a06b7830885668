/**
 * What an event says, in the user's language: its name ("Cotización emitida") and one line
 * with the facts it recorded (who was assigned, the quote's minutes and amount, the minutes a
 * policy deduction took and the balance left...). Unknown event types show their own name.
 */
import type { Language } from '../shared/api/views';
import type { Translate } from '../shared/i18n/i18n';
import { formatMinor } from '../shared/money';
import { formatMinutes } from '../shared/time/format';
import { escalationLevelName } from '../shared/session/settings';
import { classificationLabel } from '../shared/ui/labels';
import type { CaseEvent } from './replay-api';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Describers {
  t: Translate;
  tx: (key: string, fallback: string, vars?: Record<string, string | number>) => string;
  language: Language;
  name: (id: string | null | undefined) => string;
  instant: (iso: string | null | undefined) => string;
  date: (d: string | null | undefined) => string;
  policyNumber: (policyId: string) => string;
}

export const eventName = (type: string, d: Describers): string => d.tx(`replay.event.${type}`, type);

function classification(data: Data, t: Translate): string {
  const v = data.severity ?? data.priority ?? null;
  return classificationLabel(v, t);
}

export function eventSummary(e: CaseEvent, d: Describers): string {
  const { t, tx } = d;
  const data = e.data as Data;
  const minutes = (m: number) => formatMinutes(m, t);
  switch (e.type) {
    case 'TicketOpened':
      return t('replay.summary.opened', { subject: data.subject ?? '', channel: tx(`channel.${data.channel}`, String(data.channel ?? '')), classification: classification(data, t) });
    case 'TicketClassified':
      return data.confirmed
        ? t('replay.summary.classificationConfirmed', { classification: classification(data, t) })
        : t('replay.summary.classified', { classification: classification(data, t), reason: data.reason ?? '—' });
    case 'TicketAssigned':
      return t('replay.summary.assigned', { assignee: d.name(data.assigneeId) });
    case 'MessagePosted':
      return t(data.visibility === 'internal' ? 'replay.summary.internalNote' : 'replay.summary.message', { author: d.name(data.authorId) });
    case 'ResponseRecorded':
      return t(data.met ? 'replay.summary.respondedMet' : 'replay.summary.respondedLate', { elapsed: minutes(Number(data.elapsedBusinessMinutes ?? 0)), target: minutes(Number(data.targetMinutes ?? 0)) });
    case 'CustomerInfoRequested':
      return t('replay.summary.question', { question: String(data.question ?? '') });
    case 'ClockResumed':
      return t('replay.summary.resumed', { paused: minutes(Number(data.pausedBusinessMinutes ?? 0)), due: d.instant(data.dueAt) });
    case 'TicketEscalated':
      return t(data.automatic ? 'replay.summary.escalatedAutomatic' : 'replay.summary.escalated', { level: data.level, name: escalationLevelName(data.levelName as string | undefined, tx), reason: data.reason ?? '' });
    case 'ContactAttemptRecorded':
      return t('replay.summary.contactAttempt', { n: data.attempt, channel: tx(`channel.${data.channel}`, String(data.channel ?? '')) });
    case 'TicketClosed':
      return t('replay.summary.closed', { reason: tx(`closeReason.${data.reason}`, String(data.reason ?? '')) });
    case 'TicketReopened':
      return t('replay.summary.reopened', { reason: String(data.reason ?? '') });
    case 'SlaWarningRecorded':
      return t('replay.summary.warning', { due: d.instant(data.dueAt) });
    case 'SlaBreachRecorded':
      return t('replay.summary.breach', { due: d.instant(data.dueAt) });
    case 'FollowUpRequested':
      return t('replay.summary.followUp', { n: data.sequence ?? 1 });
    case 'QuoteIssued': {
      const terms = (data.terms ?? {}) as Data;
      const amount = terms.amountMinor !== null && terms.amountMinor !== undefined ? formatMinor(terms.amountMinor, terms.currency, d.language) : null;
      return amount
        ? t('replay.summary.quoteAmount', { kind: tx(`quote.kind.${terms.kind}`, String(terms.kind)), minutes: minutes(Number(terms.minutes ?? 0)), amount })
        : t('replay.summary.quote', { kind: tx(`quote.kind.${terms.kind}`, String(terms.kind)), minutes: minutes(Number(terms.minutes ?? 0)) });
    }
    case 'ServiceAuthorized':
      return t(data.purchaseOrder ? 'replay.summary.authorizedPo' : 'replay.summary.authorized', { by: d.name(data.authorizedBy), po: data.purchaseOrder ?? '' });
    case 'QuoteDeclined':
      return t('replay.summary.declined', { by: d.name(data.declinedBy) });
    case 'WorkLogged':
      return t('replay.summary.workLogged', {
        minutes: minutes(Number(data.minutes ?? 0)),
        engineer: d.name(data.engineerId),
        kind: tx(`workLog.kind.${data.kind}`, String(data.kind ?? '')),
      });
    case 'MinutesDeducted':
      return t('replay.summary.deducted', { minutes: minutes(Number(data.minutes ?? 0)), policy: d.policyNumber(String(data.policyId ?? '')), left: minutes(Number(data.minutesRemaining ?? 0)) });
    case 'PolicyExhausted':
      return t('replay.summary.policyExhausted', { policy: d.policyNumber(String(data.policyId ?? '')) });
    case 'PolicyExpired':
      return t('replay.summary.policyExpired', { policy: d.policyNumber(String(data.policyId ?? '')) });
    default:
      return '';
  }
}

/** "ticket" or "policy POL-2026-…" for the stream an event lives in */
export function streamLabel(streamId: string, d: Describers): string {
  if (streamId.startsWith('ticket-')) return d.t('replay.stream.ticket');
  if (streamId.startsWith('policy-')) return d.t('replay.stream.policy', { number: d.policyNumber(streamId.slice('policy-'.length)) });
  return streamId;
}
