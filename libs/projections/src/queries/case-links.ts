import type { ReadStore } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { CaseLinkDoc, CaseLinkFields } from '../views/case-links.view';

/** events of other streams that belong to the ticket's case (policy deductions), in global order */
export async function caseLinks(store: ReadStore, ticketId: string): Promise<Array<CaseLinkFields & { _id: string }>> {
  const docs = await store.find<CaseLinkDoc>(COLLECTIONS.caseEvents, { filter: { ticketId }, sort: [['position', 1]] });
  return docs.map(({ _pos, ...d }) => d as CaseLinkFields & { _id: string });
}
