import { DateTime } from 'luxon';
import { findProduct, isClassificationOf } from '../presets';
import { DecisionContext, DomainError, invalid, notFound } from '../shared';
import { OpenTicket } from './commands';
import { TicketOpened } from './events';
import { decideTarget } from './sla';
import { referencedFiles } from './attachments';
import { TicketState } from './state';
import {
  actorRole,
  Classification,
  forbidden,
  isInstant,
  msOf,
  optionalText,
  Priority,
  requireOneOf,
  requireText,
  Severity,
  TICKET_CHANNELS,
  topicKey,
  utc,
} from './values';

/**
 * Opens a ticket. Refusals, in order: 409 id-reused (the stream exists), 400 invalid-request,
 * 403 forbidden (a customer opening for another customer, or setting receivedAt),
 * 404 not-found (customer), 422 support-suspended, 422 end-of-life, 409 duplicate-ticket.
 */
export function decideOpenTicket(command: OpenTicket, state: TicketState, ctx: DecisionContext): TicketOpened[] {
  const { rules, facts } = command;
  const preset = rules.preset;
  if (state.ticketId !== null)
    throw new DomainError('id-reused', 409, `ticket id ${command.ticketId} is already used`, { ticketId: command.ticketId });

  const role = actorRole(ctx);
  if (role === 'system') throw forbidden('the scheduler may not open tickets');
  const nowMs = msOf(ctx.now);

  // validation (400)
  if (typeof command.ticketId !== 'string' || command.ticketId.trim() === '') throw invalid('ticketId', 'required');
  requireText('customerId', command.customerId, 200);
  const department = requireText('department', command.department, 200);
  if (!preset.departments.some((d) => d.id === department))
    throw invalid('department', `unknown department '${department}' (known: ${preset.departments.map((d) => d.id).join(', ')})`);
  const subject = requireText('subject', command.subject, 300);
  const description = requireText('description', command.description);
  const stepsToReproduce = optionalText('stepsToReproduce', command.stepsToReproduce);
  const errorText = optionalText('errorText', command.errorText);
  const product = optionalText('product', command.product, 200);
  const channel = command.channel === undefined ? (role === 'customer' ? 'portal' : 'email') : requireOneOf('channel', command.channel, TICKET_CHANNELS);
  const attachments = command.attachments ?? [];
  if (!Array.isArray(attachments) || !attachments.every((a) => typeof a === 'string' && a.trim() !== ''))
    throw invalid('attachments', 'must be an array of attachment references (non-empty strings)');
  const files = referencedFiles(attachments, command.attachmentFiles);
  let classification: Classification = preset.defaultClassification;
  let classificationSource: 'reported' | 'default' = 'default';
  if (command.reportedPriority !== undefined && command.reportedPriority !== null) {
    if (!isClassificationOf(preset.scheme, command.reportedPriority))
      throw invalid(
        'reportedPriority',
        preset.scheme === 'priority' ? "must be 'low', 'medium' or 'high'" : 'must be a severity 1, 2, 3 or 4 (this desk classifies by severity)',
      );
    classification = command.reportedPriority;
    classificationSource = 'reported';
  }
  let receivedMs = nowMs;
  if (command.receivedAt !== undefined) {
    if (role !== 'staff') throw forbidden('only staff may set receivedAt (for a ticket imported from email)');
    if (!isInstant(command.receivedAt)) throw invalid('receivedAt', 'must be an ISO 8601 instant with offset');
    receivedMs = msOf(command.receivedAt);
    if (receivedMs > nowMs) throw invalid('receivedAt', 'must not be in the future');
  }

  // scope (403)
  if (role === 'customer' && ctx.actor.customerId !== command.customerId)
    throw forbidden('a customer may open tickets only for its own customer account');

  // facts from other aggregates
  const customer = facts.customer;
  if (!customer?.exists) throw notFound('customer', command.customerId);
  if (customer.suspendedPermanently)
    throw new DomainError('support-suspended', 422, `support for customer ${command.customerId} is suspended permanently`, {
      customerId: command.customerId,
      until: null,
    });
  if (customer.suspendedUntil && msOf(customer.suspendedUntil) > nowMs)
    throw new DomainError('support-suspended', 422, `support for customer ${command.customerId} is suspended until ${customer.suspendedUntil}`, {
      customerId: command.customerId,
      until: customer.suspendedUntil,
    });

  const customerCalendar = customer.calendarId && rules.hasCalendar(customer.calendarId) ? customer.calendarId : null;
  const target = rules.targetFor(classification, customer.supportLevel ?? null, customerCalendar);
  if (product) {
    const entry = findProduct(preset, product);
    if (entry?.endOfLife && !facts.productCoveredBySpecialContract) {
      const today = DateTime.fromMillis(nowMs, { zone: target.zone }).toISODate() as string;
      if (today > entry.endOfLife)
        throw new DomainError('end-of-life', 422, `${entry.name} reached its end of life on ${entry.endOfLife} and gets no support`, {
          product: entry.id,
          endOfLife: entry.endOfLife,
        });
    }
  }

  if (facts.existingOpenTicketId && facts.existingOpenTicketId !== command.ticketId)
    throw new DomainError('duplicate-ticket', 409, `an open ticket on the same topic exists: ${facts.existingOpenTicketId}`, {
      existingTicketId: facts.existingOpenTicketId,
    });

  const receivedAt = utc(receivedMs);
  const sla = decideTarget({
    rules,
    classification,
    supportLevel: customer.supportLevel ?? null,
    calendarId: customerCalendar,
    cycle: 1,
    revision: 0,
    reason: 'opened',
    startedAt: receivedAt,
    atMs: receivedMs,
    elapsed: 0,
    paused: false,
  });
  return [
    {
      type: 'TicketOpened',
      data: {
        ticketId: command.ticketId,
        customerId: command.customerId,
        reporterId: command.reporterId ?? ctx.actor.id,
        department,
        subject,
        topicKey: topicKey(subject, product),
        description,
        stepsToReproduce,
        errorText,
        product,
        channel,
        attachments: [...attachments],
        ...(files ? { attachmentFiles: files } : {}),
        scheme: preset.scheme,
        priority: preset.scheme === 'priority' ? (classification as Priority) : null,
        severity: preset.scheme === 'severity' ? (classification as Severity) : null,
        classificationSource,
        supportLevel: target.supportLevel,
        escalationLevel: 1,
        receivedAt,
        openedAt: utc(nowMs),
        openedBy: ctx.actor.id,
        openedByRole: role,
        sla,
      },
    },
  ];
}
