/**
 * `case_events` read model: links from a ticket to events of other streams that belong to
 * its case, so the ticket history can include them. Today: every MinutesDeducted on a
 * policy stream that names the ticket. The history reads these links and then the events
 * themselves from the event store by stream and version.
 */
import type { MinutesDeductedData } from '@helpdesk/domain';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, occurredAt } from './common';

export interface CaseLinkDoc extends Doc, CaseLinkFields {}

export interface CaseLinkFields {
  ticketId: string;
  streamId: string;
  version: number;
  position: number;
  type: string;
  eventId: string;
  occurredAt: string;
}

export const caseLinkId = (streamId: string, version: bigint | number) => `${streamId}@${version}`;

export const caseLinksProjection: Projection = {
  name: 'case-links',
  collections: [{ name: COLLECTIONS.caseEvents, indexes: [{ fields: [['ticketId', 1], ['position', 1]] }] }],
  handles: new Set<string>(['MinutesDeducted']),
  async apply(event, ctx) {
    const ticketId = (event.data as Partial<MinutesDeductedData>).ticketId;
    if (typeof ticketId !== 'string' || ticketId === '') return;
    const id = caseLinkId(event.streamId, event.version);
    await ctx.update<CaseLinkDoc>(COLLECTIONS.caseEvents, id, () => ({
      _id: id,
      ticketId,
      streamId: event.streamId,
      version: Number(event.version),
      position: Number(event.position),
      type: event.type,
      eventId: event.id,
      occurredAt: occurredAt(event),
    }));
  },
};
