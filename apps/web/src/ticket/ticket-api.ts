/**
 * A ticket's reads (detail, conversation, SLA timeline) and its commands. Commands are typed by
 * the OpenAPI document; each remembers its position so the next reads include it, and refreshes
 * what it changed.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request, unwrap, type PostBody } from '../shared/api/client';
import { isProblem } from '../shared/api/problem';
import type { CommandAnswer, Conversation, ConversationItem, History, SlaTimeline, TicketDetail } from '../shared/api/views';

export function useTicket(ticketId: string) {
  return useQuery({
    queryKey: ['ticket', ticketId],
    queryFn: ({ signal }) => unwrap<TicketDetail>(api.GET('/api/tickets/{id}', { params: { path: { id: ticketId } }, signal })),
    staleTime: 5_000,
  });
}

/** the conversation as the history shows it (servers without GET .../conversation) */
export function conversationFromHistory(history: History): Conversation {
  const items: ConversationItem[] = [];
  for (const e of history.events) {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'TicketOpened') {
      const parts = [d.description, d.stepsToReproduce, d.errorText].filter((x): x is string => typeof x === 'string' && x.length > 0);
      items.push({
        messageId: `opened-${history.ticketId}`,
        authorId: String(d.openedBy ?? d.reporterId ?? ''),
        authorName: null,
        authorKind: d.openedByRole === 'customer' ? 'customer' : 'staff',
        visibility: 'public',
        body: parts.join('\n\n'),
        attachments: [],
        postedAt: String(d.openedAt ?? e.occurredAt),
      });
    } else if (e.type === 'MessagePosted') {
      items.push({
        messageId: String(d.messageId),
        authorId: String(d.authorId),
        authorName: null,
        authorKind: d.authorRole === 'customer' ? 'customer' : 'staff',
        visibility: d.visibility === 'internal' ? 'internal' : 'public',
        body: String(d.body ?? ''),
        attachments: [],
        postedAt: String(d.postedAt ?? e.occurredAt),
      });
    }
  }
  return { ticketId: history.ticketId, items };
}

export function useConversation(ticketId: string) {
  return useQuery({
    queryKey: ['conversation', ticketId],
    queryFn: async ({ signal }) => {
      try {
        return await request<Conversation>('GET', `/api/tickets/${encodeURIComponent(ticketId)}/conversation`, undefined, { signal });
      } catch (err) {
        if (!isProblem(err) || err.status !== 404) throw err;
        const history = await request<History>('GET', `/api/tickets/${encodeURIComponent(ticketId)}/history`, undefined, { signal });
        return conversationFromHistory(history);
      }
    },
    staleTime: 5_000,
  });
}

/** null when the server has no SLA timeline endpoint */
export function useSlaTimeline(ticketId: string, enabled = true) {
  return useQuery({
    queryKey: ['sla-timeline', ticketId],
    enabled,
    queryFn: async ({ signal }) => {
      try {
        return await request<SlaTimeline>('GET', `/api/tickets/${encodeURIComponent(ticketId)}/sla-timeline`, undefined, { signal });
      } catch (err) {
        if (isProblem(err) && err.status === 404 && /no route/.test(err.problem.detail ?? '')) return null;
        throw err;
      }
    },
    staleTime: 5_000,
  });
}

type Path<S extends string> = `/api/tickets/{id}/${S}`;

/** after a command: what it may have changed is read again (including our own position) */
export function useAfterTicketCommand(ticketId: string) {
  const qc = useQueryClient();
  return async () => {
    await Promise.all([
      qc.invalidateQueries({ queryKey: ['ticket', ticketId] }),
      qc.invalidateQueries({ queryKey: ['conversation', ticketId] }),
      qc.invalidateQueries({ queryKey: ['sla-timeline', ticketId] }),
      qc.invalidateQueries({ queryKey: ['queue'] }),
      qc.invalidateQueries({ queryKey: ['tickets'] }),
      qc.invalidateQueries({ queryKey: ['policy'] }),
      qc.invalidateQueries({ queryKey: ['policies'] }),
    ]);
  };
}

/**
 * One ticket command as a mutation. `version` (the version the user saw) is sent as If-Match
 * for decisions, so acting on a ticket someone else just changed is refused (409), not applied blindly.
 */
export function useTicketCommand<S extends 'classification' | 'assignment' | 'escalations' | 'awaiting-customer' | 'contact-attempts' | 'close' | 'reopen' | 'messages' | 'quotes' | 'work-logs'>(
  ticketId: string,
  segment: S,
  options: { version?: number } = {},
) {
  const after = useAfterTicketCommand(ticketId);
  return useMutation({
    mutationFn: (body: PostBody<Path<S>>) =>
      unwrap<CommandAnswer>(
        api.POST(`/api/tickets/{id}/${segment}` as Path<'classification'>, {
          params: { path: { id: ticketId } },
          body: body as never,
          headers: options.version !== undefined ? { 'If-Match': `"${options.version}"` } : undefined,
        }),
      ),
    onSuccess: after,
  });
}

export function useAuthorizeQuote(ticketId: string) {
  const after = useAfterTicketCommand(ticketId);
  return useMutation({
    mutationFn: ({ quoteId, ...body }: { quoteId: string } & PostBody<'/api/tickets/{id}/quotes/{quoteId}/authorization'>) =>
      unwrap<CommandAnswer>(api.POST('/api/tickets/{id}/quotes/{quoteId}/authorization', { params: { path: { id: ticketId, quoteId } }, body })),
    onSuccess: after,
  });
}
