import { AttachmentFile, ticketDecider } from '../../src/tickets';
import { deciderSpecification } from '../decider-specification';
import { agent, at, customer, impera, openCommand, opened } from './fixtures';

const spec = deciderSpecification(ticketDecider);
const mon9 = at('2026-03-02T09:00');
const file = (n: number, extra: Partial<AttachmentFile> = {}): AttachmentFile => {
  const sha = String(n).repeat(64).slice(0, 64);
  return { attachmentId: sha, sha256: sha, fileName: `captura-${n}.png`, contentType: 'image/png', size: 1000 + n, ...extra };
};

describe('attachments referenced by a ticket and its messages', () => {
  it('the opening records each referenced file: its SHA-256, name, size and type (so the hash chain covers the content)', () => {
    spec
      .given([])
      .when(openCommand(impera, { attachments: [file(1).attachmentId], attachmentFiles: [file(1), file(2)] }), customer(mon9))
      .then((events) => {
        expect(events[0].data).toMatchObject({ attachments: [file(1).attachmentId], attachmentFiles: [file(1)] });
      });
  });

  it('a message records its files too', () => {
    spec
      .given(opened(impera, mon9))
      .when(
        { type: 'PostMessage', ticketId: 't-1', messageId: 'm1', body: 'Adjunto el log', visibility: 'public', attachments: [file(3).attachmentId], attachmentFiles: [file(3)], rules: impera },
        customer(at('2026-03-02T10:00')),
      )
      .then((events) => expect(events[0].data).toMatchObject({ attachments: [file(3).attachmentId], attachmentFiles: [file(3)] }));
  });

  it('a reference the actor may not use (not among the files found for it) is 422 unknown-attachment naming attachments[i]; listing one twice is 400', () => {
    spec
      .given([])
      .when(openCommand(impera, { attachments: [file(1).attachmentId, file(2).attachmentId], attachmentFiles: [file(1)] }), customer(mon9))
      .thenThrows('unknown-attachment', { errors: [{ path: 'attachments[1]', message: expect.stringMatching(/^unknown attachment/) }] });
    spec
      .given(opened(impera, mon9))
      .when(
        { type: 'PostMessage', ticketId: 't-1', messageId: 'm1', body: 'x', visibility: 'internal', attachments: [file(1).attachmentId, file(1).attachmentId], attachmentFiles: [file(1)], rules: impera },
        agent(at('2026-03-02T10:00')),
      )
      .thenThrows('invalid-request', { errors: [{ path: 'attachments[1]', message: 'the same attachment is listed twice' }] });
    spec
      .given([])
      .when(openCommand(impera, { attachments: ['abc'], attachmentFiles: [{ ...file(1), attachmentId: 'abc' }] }), customer(mon9))
      .thenThrows('invalid-request', { errors: [{ path: 'attachments[0]' }] });
  });

  it('without files looked up (older callers) the references are recorded as given and no file is', () => {
    spec
      .given([])
      .when(openCommand(impera, { attachments: ['file-1'] }), agent(mon9))
      .then((events) => {
        expect(events[0].data).toMatchObject({ attachments: ['file-1'] });
        expect('attachmentFiles' in events[0].data).toBe(false);
      });
  });
});
