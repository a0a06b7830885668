import { randomUUID } from 'crypto';
import { NewEvent } from '../../src';

export function newEventForChild(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'Durable',
    data: { n },
    metadata: { actor: 'test', occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, schemaVersion: 1 },
  };
}
