/**
 * The SMTP server of bench:notify, in a process of its own (as a real mail server would be):
 * accepts every message and reports to its parent, over IPC, each Message-ID with the
 * instant (ms since the epoch, sub-millisecond) the message was complete.
 */
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 8192) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const at = performance.timeOrigin + performance.now();
      const m = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head);
      process.send!({ messageId: m?.[1] ?? null, at });
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  process.send!({ port });
});
process.on('disconnect', () => process.exit(0));
