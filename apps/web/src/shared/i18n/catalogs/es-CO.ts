/**
 * Spanish (Colombia): the Mexican catalog with the words that differ in Colombia (a ticket is
 * "radicado"; "sedes" for the company's premises). Dates, numbers and money follow es-CO.
 */
import { esMX, esMXCore, type CoreMessageKey, type MessageKey } from './es-MX';
import { esCOInsightsDifferences } from './es-CO.insights';
import { esCONotificationsDifferences } from './es-CO.notifications';

const differences: Partial<Record<CoreMessageKey, string>> = {
  ...esCONotificationsDifferences,
  'nav.newTicket': 'Radicar ticket',
  'portal.newTicket': 'Radicar ticket',
  'openTicket.title': 'Radicar un ticket',
  'openTicket.submit': 'Radicar ticket',
  'openTicket.done': 'Ticket radicado.',
  'openTicket.intro': 'Un ticket por tema. Describa el inconveniente con el mayor detalle posible: así lo atendemos más rápido.',
  'workLog.kind.facility': 'En nuestras sedes',
  'policy.facility': 'Asesoría en nuestras sedes',
  'signIn.subtitle': 'Ingrese con su usuario de la mesa de ayuda.',
  'live.unavailable.hint': 'Este servidor no ofrece actualizaciones en vivo; la información se actualiza cada 15 segundos.',
};

export const esCOCore: Record<CoreMessageKey, string> = /* @__PURE__ */ Object.assign({}, esMXCore, differences);

export const esCO: Record<MessageKey, string> = /* @__PURE__ */ Object.assign({}, esMX, esCOInsightsDifferences, differences);
