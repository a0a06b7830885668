/**
 * Message texts in the recipient's language (es-MX, es-CO: Spanish with each country's number
 * and date formats; en), as plain text and HTML. Every value that comes from people or events
 * is escaped in the HTML and stripped of line breaks in subjects. Links point to the console
 * (PUBLIC_URL): /tickets/<id>, /policies/<id>, /webhooks/<id>; an invitation or password-reset
 * link is built at sending time by `links` (its one-time token is never stored).
 */
import type { NotificationKind, NotificationLanguage, NotificationParams, RecipientReason } from '@helpdesk/domain/notifications';

export interface LinkBuilder {
  /** absolute console URL of a path like /tickets/<id> */
  console(path: string): string;
  /** the invitation's accept link (with its one-time token), or null when it cannot be built */
  invitation(userId: string, invitationId: string): string | null;
  passwordReset(userId: string, requestId: string): string | null;
}

export interface RenderContext {
  /** the company's time zone, for instants */
  zone: string;
  /** shown in invitations */
  companyName: string;
  links: LinkBuilder;
}

export interface NotificationContent {
  kind: NotificationKind;
  reason: RecipientReason;
  params: NotificationParams;
  ticketId: string | null;
  policyId: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const es = (l: NotificationLanguage) => l !== 'en';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** one line, bounded: for subjects and titles (no header injection, no runaway length) */
export function oneLine(value: unknown, max = 160): string {
  const s = String(value ?? '').replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
/** Intl formatters are costly to build: one per language, zone and style */
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    if (formatters.size > 200) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

export function formatInstant(iso: unknown, lang: NotificationLanguage, zone: string): string {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return '';
  return cached(`i|${lang}|${zone}`, () => new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short' })).format(new Date(iso));
}

export function formatDate(date: unknown, lang: NotificationLanguage): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  return cached(`d|${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' })).format(new Date(`${date}T00:00:00Z`));
}

/** ISO 4217 minor-unit exponents of the currencies a preset may use (same table as the console's shared/money.ts) */
const ISO_4217_DIGITS: Readonly<Record<string, number>> = { MXN: 2, COP: 2, USD: 2 };

/** exact: the minor units as a decimal string (Intl formats strings without binary rounding) */
export function formatMoney(amountMinor: unknown, currency: unknown, lang: NotificationLanguage): string {
  if (typeof amountMinor !== 'number' || !Number.isInteger(amountMinor) || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return '';
  // ISO 4217's minor unit, as the API defines amounts (COP: centavos), not Intl's display default (the console uses the same table)
  const digits = ISO_4217_DIGITS[currency] ?? cached(`c|${currency}`, () => new Intl.NumberFormat('en', { style: 'currency', currency })).resolvedOptions().maximumFractionDigits ?? 2;
  const negative = amountMinor < 0;
  const abs = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? abs : `${abs.slice(0, abs.length - digits)}.${abs.slice(abs.length - digits)}`;
  const f = cached(`m|${lang}|${currency}`, () => new Intl.NumberFormat(lang, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits })) as Intl.NumberFormat;
  return f.format(`${negative ? '-' : ''}${decimal}` as unknown as number);
}

export function formatMinutes(minutes: unknown, lang: NotificationLanguage): string {
  if (typeof minutes !== 'number' || !Number.isInteger(minutes)) return '';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const n = cached(`n|${lang}`, () => new Intl.NumberFormat(lang)) as Intl.NumberFormat;
  if (h === 0) return `${n.format(m)} min`;
  return m === 0 ? `${n.format(h)} h` : `${n.format(h)} h ${m} min`;
}

const CHANNELS: Record<string, [string, string]> = { phone: ['teléfono', 'phone'], email: ['correo electrónico', 'e-mail'] };
const SUSPENSIONS: Record<string, [string, string]> = {
  'abusive-language': ['lenguaje ofensivo', 'abusive language'],
  pressure: ['presión indebida', 'undue pressure'],
  'false-report': ['reportes falsos', 'false reports'],
  other: ['otro motivo', 'another reason'],
};
const REASONS: Record<RecipientReason, [string, string]> = {
  assignee: ['tiene asignado este ticket', 'this ticket is assigned to you'],
  'quote-issuer': ['emitió la cotización', 'you issued the quote'],
  approver: ['autoriza servicios de su empresa', "you authorize your company's services"],
  reporter: ['reportó este ticket', 'you reported this ticket'],
  'customer-contact': ['es contacto de su empresa', "you are one of your company's contacts"],
  supervisor: ['supervisa la mesa de ayuda', 'you supervise the help desk'],
  'escalation-contact': ['es el siguiente nivel de escalamiento', 'you are the next escalation level'],
  finance: ['forma parte de finanzas', 'you are in finance'],
  admin: ['administra la mesa de ayuda', 'you administer the help desk'],
  invitee: ['le invitaron', 'you were invited'],
  'account-holder': ['se pidió para su cuenta', 'it was requested for your account'],
};
const QUOTE_KINDS: Record<string, [string, string]> = { 'per-event': ['por evento', 'per event'], 'policy-estimate': ['estimación con cargo a póliza', 'estimate against a policy'] };

const pick = (pair: [string, string] | undefined, lang: NotificationLanguage, fallback: string) => (pair ? pair[es(lang) ? 0 : 1] : fallback);

interface Described {
  subject: string;
  intro: string;
  details: Array<[string, string]>;
  action: { label: string; url: string } | null;
}

/** the console path a notification links to */
export function consolePathOf(n: Pick<NotificationContent, 'kind' | 'params' | 'ticketId' | 'policyId'>): string | null {
  if (n.ticketId) return `/tickets/${encodeURIComponent(n.ticketId)}`;
  if (n.policyId) return `/policies/${encodeURIComponent(n.policyId)}`;
  if (n.kind === 'webhook-disabled' && typeof n.params.webhookId === 'string') return `/webhooks/${encodeURIComponent(n.params.webhookId)}`;
  return null;
}

export function describeNotification(n: NotificationContent, lang: NotificationLanguage, ctx: RenderContext): Described {
  const p = n.params;
  const S = es(lang);
  const subjectOf = oneLine(p.subject, 120);
  const path = consolePathOf(n);
  const open = (es: string, en: string) => (path ? { label: S ? es : en, url: ctx.links.console(path) } : null);
  const at = (v: unknown) => formatInstant(v, lang, ctx.zone);
  const money = formatMoney(p.amountMinor, p.currency, lang);
  const quoteDetails = (): Array<[string, string]> =>
    [
      [S ? 'Tipo' : 'Kind', pick(QUOTE_KINDS[str(p.quoteKind)], lang, str(p.quoteKind))],
      [S ? 'Tiempo' : 'Time', formatMinutes(p.minutes, lang)],
      [S ? 'Importe' : 'Amount', money],
    ].filter(([, v]) => v !== '') as Array<[string, string]>;
  switch (n.kind) {
    case 'quote-awaiting-authorization':
      return {
        subject: S ? `Cotización por autorizar: ${subjectOf}` : `Quote awaiting your authorization: ${subjectOf}`,
        intro: S ? `Una cotización espera su autorización en el ticket «${str(p.subject)}». Sin autorización el servicio no se presta.` : `A quote awaits your authorization on the ticket “${str(p.subject)}”. Without it, the service is not delivered.`,
        details: [
          ...quoteDetails(),
          ...(p.description ? [[S ? 'Descripción' : 'Description', str(p.description)] as [string, string]] : []),
          ...(p.purchaseOrderRequired ? [[S ? 'Orden de compra' : 'Purchase order', S ? 'requerida' : 'required'] as [string, string]] : []),
        ],
        action: open('Revisar y autorizar', 'Review and authorize'),
      };
    case 'quote-accepted':
    case 'quote-declined': {
      const accepted = n.kind === 'quote-accepted';
      return {
        subject: S ? `Cotización ${accepted ? 'aceptada' : 'rechazada'}: ${subjectOf}` : `Quote ${accepted ? 'accepted' : 'declined'}: ${subjectOf}`,
        intro: S ? `El cliente ${accepted ? 'aceptó' : 'rechazó'} la cotización del ticket «${str(p.subject)}».` : `The customer ${accepted ? 'accepted' : 'declined'} the quote on the ticket “${str(p.subject)}”.`,
        details: [
          ...quoteDetails(),
          ...(p.purchaseOrder ? [[S ? 'Orden de compra' : 'Purchase order', str(p.purchaseOrder)] as [string, string]] : []),
          ...(p.comment ? [[S ? 'Comentario' : 'Comment', str(p.comment)] as [string, string]] : []),
        ],
        action: open('Abrir el ticket', 'Open the ticket'),
      };
    }
    case 'sla-warning':
      return {
        subject: S ? `Tiempo de respuesta en riesgo: ${subjectOf}` : `Response target at risk: ${subjectOf}`,
        intro: S ? `El ticket «${str(p.subject)}» debe responderse antes de ${at(p.dueAt)}.` : `The ticket “${str(p.subject)}” must be answered before ${at(p.dueAt)}.`,
        details: [[S ? 'Vence' : 'Due', at(p.dueAt)]],
        action: open('Responder', 'Respond'),
      };
    case 'sla-breach':
      return {
        subject: S ? `Tiempo de respuesta vencido: ${subjectOf}` : `Response target missed: ${subjectOf}`,
        intro: S ? `El ticket «${str(p.subject)}» no se respondió a tiempo (vencía ${at(p.dueAt)}).` : `The ticket “${str(p.subject)}” was not answered in time (due ${at(p.dueAt)}).`,
        details: [
          [S ? 'Vencía' : 'Was due', at(p.dueAt)],
          ...(p.nextLevelName ? [[S ? 'Siguiente nivel' : 'Next level', `${str(p.nextLevel)}: ${str(p.nextLevelName)}`] as [string, string]] : []),
        ],
        action: open('Atender el ticket', 'Handle the ticket'),
      };
    case 'ticket-assigned':
      return {
        subject: S ? `Ticket asignado: ${subjectOf}` : `Ticket assigned to you: ${subjectOf}`,
        intro: S ? `Se le asignó el ticket «${str(p.subject)}».` : `The ticket “${str(p.subject)}” was assigned to you.`,
        details: [],
        action: open('Abrir el ticket', 'Open the ticket'),
      };
    case 'customer-replied':
      return {
        subject: S ? `El cliente respondió: ${subjectOf}` : `The customer replied: ${subjectOf}`,
        intro: S ? `El cliente escribió en el ticket «${str(p.subject)}»:` : `The customer wrote on the ticket “${str(p.subject)}”:`,
        details: [[S ? 'Mensaje' : 'Message', str(p.excerpt)]],
        action: open('Leer y responder', 'Read and reply'),
      };
    case 'awaiting-customer':
      return {
        subject: S ? `Necesitamos información: ${subjectOf}` : `We need information from you: ${subjectOf}`,
        intro: S ? `Para continuar con el ticket «${str(p.subject)}» necesitamos su respuesta:` : `To go on with the ticket “${str(p.subject)}” we need your answer:`,
        details: [[S ? 'Pregunta' : 'Question', str(p.question)]],
        action: open('Responder', 'Reply'),
      };
    case 'contact-attempt':
      return {
        subject: S ? `Intento de contacto ${str(p.attempt)}: ${subjectOf}` : `Contact attempt ${str(p.attempt)}: ${subjectOf}`,
        intro: S
          ? `Intentamos contactarle por ${pick(CHANNELS[str(p.channel)], lang, str(p.channel))} sobre el ticket «${str(p.subject)}». Si no recibimos respuesta, el ticket se cerrará a partir de ${at(p.closeAfter)}.`
          : `We tried to reach you by ${pick(CHANNELS[str(p.channel)], lang, str(p.channel))} about the ticket “${str(p.subject)}”. Without an answer, the ticket will be closed from ${at(p.closeAfter)}.`,
        details: [[S ? 'Cierre a partir de' : 'Closes from', at(p.closeAfter)]],
        action: open('Responder', 'Reply'),
      };
    case 'ticket-auto-closed':
      return {
        subject: S ? `Ticket cerrado por falta de respuesta: ${subjectOf}` : `Ticket closed for lack of response: ${subjectOf}`,
        intro: S ? `El ticket «${str(p.subject)}» se cerró tras los intentos de contacto sin respuesta. Puede pedir que se reabra.` : `The ticket “${str(p.subject)}” was closed after the contact attempts went unanswered. You may ask to reopen it.`,
        details: [[S ? 'Cerrado' : 'Closed', at(p.closedAt)]],
        action: open('Ver el ticket', 'View the ticket'),
      };
    case 'policy-usage-80':
    case 'policy-exhausted': {
      const exhausted = n.kind === 'policy-exhausted';
      return {
        subject: exhausted
          ? S ? `Póliza ${oneLine(p.policyNumber)} agotada` : `Policy ${oneLine(p.policyNumber)} used up`
          : S ? `Póliza ${oneLine(p.policyNumber)}: ${str(p.percentUsed)} % utilizada` : `Policy ${oneLine(p.policyNumber)}: ${str(p.percentUsed)}% used`,
        intro: exhausted
          ? S ? 'Se utilizó todo el tiempo de la póliza; los nuevos servicios requieren renovarla o una cotización por evento.' : "The policy's time is used up; new services need a renewal or a per-event quote."
          : S ? `Se ha utilizado el ${str(p.percentUsed)} % del tiempo de la póliza.` : `${str(p.percentUsed)}% of the policy's time is used.`,
        details: [
          [S ? 'Contratado' : 'Purchased', formatMinutes(p.minutesPurchased, lang)],
          [S ? 'Utilizado' : 'Used', formatMinutes(p.minutesUsed, lang)],
          [S ? 'Disponible' : 'Remaining', formatMinutes(p.minutesRemaining, lang)],
          [S ? 'Vigente hasta' : 'Valid until', formatDate(p.validUntil, lang)],
        ],
        action: open('Ver la póliza', 'View the policy'),
      };
    }
    case 'policy-expiring':
      return {
        subject: S ? `Póliza ${oneLine(p.policyNumber)}: vence en ${str(p.daysLeft)} días` : `Policy ${oneLine(p.policyNumber)} expires in ${str(p.daysLeft)} days`,
        intro: S ? `La póliza ${str(p.policyNumber)} es válida hasta el ${formatDate(p.validUntil, lang)}.` : `Policy ${str(p.policyNumber)} is valid until ${formatDate(p.validUntil, lang)}.`,
        details: [
          [S ? 'Vigente hasta' : 'Valid until', formatDate(p.validUntil, lang)],
          [S ? 'Disponible' : 'Remaining', formatMinutes(p.minutesRemaining, lang)],
        ],
        action: open('Ver la póliza', 'View the policy'),
      };
    case 'support-suspended':
      return {
        subject: S ? `Soporte suspendido: ${oneLine(p.customerName)}` : `Support suspended: ${oneLine(p.customerName)}`,
        intro: S
          ? `El soporte de ${str(p.customerName)} está suspendido por ${pick(SUSPENSIONS[str(p.reason)], lang, str(p.reason))}. Mientras dure no se pueden abrir tickets.`
          : `Support for ${str(p.customerName)} is suspended for ${pick(SUSPENSIONS[str(p.reason)], lang, str(p.reason))}. No tickets can be opened while it lasts.`,
        details: [[S ? 'Hasta' : 'Until', p.endsAt ? at(p.endsAt) : S ? 'indefinidamente' : 'indefinitely']],
        action: null,
      };
    case 'user-invited': {
      const url = ctx.links.invitation(str(p.userId), str(p.invitationId));
      return {
        subject: S ? `Invitación a la mesa de ayuda de ${oneLine(ctx.companyName)}` : `Invitation to the ${oneLine(ctx.companyName)} help desk`,
        intro: S
          ? `Hola ${str(p.name)}: le invitaron a la mesa de ayuda de ${ctx.companyName}. Para activar su cuenta, abra el enlace antes de ${at(p.expiresAt)}.`
          : `Hello ${str(p.name)}: you were invited to the ${ctx.companyName} help desk. To activate your account, open the link before ${at(p.expiresAt)}.`,
        details: [[S ? 'Vence' : 'Expires', at(p.expiresAt)]],
        action: url ? { label: S ? 'Activar mi cuenta' : 'Activate my account', url } : null,
      };
    }
    case 'password-reset': {
      const url = ctx.links.passwordReset(str(p.userId), str(p.requestId));
      return {
        subject: S ? 'Restablecer su contraseña' : 'Reset your password',
        intro: S
          ? `Se pidió restablecer la contraseña de su cuenta. Si no fue usted, ignore este mensaje. El enlace vence ${at(p.expiresAt)}.`
          : `A password reset was requested for your account. If it was not you, ignore this message. The link expires ${at(p.expiresAt)}.`,
        details: [],
        action: url ? { label: S ? 'Elegir una contraseña nueva' : 'Choose a new password', url } : null,
      };
    }
    case 'webhook-disabled':
      return {
        subject: S ? `Webhook desactivado: ${oneLine(p.url)}` : `Webhook disabled: ${oneLine(p.url)}`,
        intro: S
          ? `El webhook a ${str(p.url)} se desactivó tras ${str(p.consecutiveFailures)} entregas fallidas seguidas. Revíselo y actívelo de nuevo.`
          : `The webhook to ${str(p.url)} was disabled after ${str(p.consecutiveFailures)} failed deliveries in a row. Check it and enable it again.`,
        details: p.lastError ? [[S ? 'Último error' : 'Last error', str(p.lastError)]] : [],
        action: open('Ver el webhook', 'View the webhook'),
      };
  }
}

/** the title shown in the console's notification list */
export function titleOf(n: NotificationContent, lang: NotificationLanguage, ctx: RenderContext): string {
  return oneLine(describeNotification(n, lang, ctx).subject, 200);
}

function footer(reason: RecipientReason, lang: NotificationLanguage, ctx: RenderContext): string {
  const why = pick(REASONS[reason], lang, reason);
  return es(lang)
    ? `Recibe este mensaje porque ${why}. Sus preferencias de notificación: ${ctx.links.console('/settings/notifications')}`
    : `You receive this message because ${why}. Your notification preferences: ${ctx.links.console('/settings/notifications')}`;
}

function htmlPage(lang: NotificationLanguage, title: string, body: string): string {
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:640px">${body}</body></html>`;
}

export function renderNotificationMail(n: NotificationContent, lang: NotificationLanguage, ctx: RenderContext): RenderedMail {
  const d = describeNotification(n, lang, ctx);
  const subject = oneLine(d.subject, 200);
  const details = d.details.filter(([, v]) => v !== '');
  const text = [
    d.intro,
    '',
    ...details.map(([k, v]) => `${k}: ${v}`),
    ...(d.action ? ['', `${d.action.label}: ${d.action.url}`] : []),
    '',
    '--',
    footer(n.reason, lang, ctx),
    '',
  ].join('\n');
  const html = htmlPage(
    lang,
    subject,
    `<p>${escapeHtml(d.intro)}</p>` +
      (details.length ? `<table>${details.map(([k, v]) => `<tr><th align="left" valign="top">${escapeHtml(k)}</th><td style="white-space:pre-wrap">${escapeHtml(v)}</td></tr>`).join('')}</table>` : '') +
      (d.action ? `<p><a href="${escapeHtml(d.action.url)}">${escapeHtml(d.action.label)}</a></p>` : '') +
      `<hr><p style="color:#666;font-size:12px">${escapeHtml(footer(n.reason, lang, ctx))}</p>`,
  );
  return { subject, text, html };
}

/** one message for a day's non-urgent notifications */
export function renderDigestMail(items: NotificationContent[], lang: NotificationLanguage, date: string, ctx: RenderContext): RenderedMail {
  const S = es(lang);
  const subject = S ? `Resumen del ${formatDate(date, lang)}: ${items.length} notificaciones` : `Digest for ${formatDate(date, lang)}: ${items.length} notifications`;
  const rows = items.map((n) => {
    const d = describeNotification(n, lang, ctx);
    return { title: oneLine(d.subject, 200), url: d.action?.url ?? null };
  });
  const settings = ctx.links.console('/settings/notifications');
  const note = S ? `Recibe este resumen porque eligió el resumen diario. Sus preferencias: ${settings}` : `You receive this digest because you chose the daily digest. Your preferences: ${settings}`;
  const text = [...rows.map((r) => `- ${r.title}${r.url ? `\n  ${r.url}` : ''}`), '', '--', note, ''].join('\n');
  const html = htmlPage(
    lang,
    subject,
    `<ul>${rows.map((r) => `<li>${r.url ? `<a href="${escapeHtml(r.url)}">${escapeHtml(r.title)}</a>` : escapeHtml(r.title)}</li>`).join('')}</ul><hr><p style="color:#666;font-size:12px">${escapeHtml(note)}</p>`,
  );
  return { subject: oneLine(subject, 200), text, html };
}
