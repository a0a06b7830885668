import { Projection } from '@helpdesk/projections';
import { MinutesDeductedData, TicketCommand, createTicketDecider } from '@helpdesk/domain';
import { CommandPipeline } from './command-pipeline';
import { SCHEDULER_ACTOR } from './scheduler';

/**
 * Process manager for the two-stream work log: for every MinutesDeducted on a policy stream,
 * make sure its ticket holds the matching WorkLogged (idempotent by entryId). Runs as a
 * projection with its own checkpoint, so a crash between the policy append and the ticket
 * append is repaired on the next start at the latest. Its only documents are its checkpoint.
 */
export function deductionRepairer(pipeline: CommandPipeline, decider: ReturnType<typeof createTicketDecider>): Projection {
  return {
    name: 'deduction-repairer',
    collections: [],
    handles: new Set(['MinutesDeducted']),
    async apply(event) {
      const deduction = event.data as unknown as MinutesDeductedData;
      await pipeline.execute(
        `ticket-${deduction.ticketId}`,
        decider,
        { type: 'RecordDeductedWork', ticketId: deduction.ticketId, deduction } as TicketCommand as never,
        {
          actor: SCHEDULER_ACTOR,
          correlationId: String(event.metadata.correlationId),
          causationId: event.id,
          now: String(event.metadata.occurredAt),
        },
      );
    },
  };
}
