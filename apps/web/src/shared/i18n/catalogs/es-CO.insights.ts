/** Spanish (Colombia) for the console's part 2: the words that differ from es-MX.insights.ts (a ticket is "radicado"). */
import type { esMXInsights } from './es-MX.insights';

export const esCOInsightsDifferences: Partial<Record<keyof typeof esMXInsights, string>> = {
  'cases.openedAt': 'Radicado',
  'replay.event.TicketOpened': 'Ticket radicado',
  'replay.field.openedAt': 'radicado',
};
