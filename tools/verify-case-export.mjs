#!/usr/bin/env node
/**
 * Verifies a case export offline: node tools/verify-case-export.mjs case-<ticketId>.ndjson
 *
 * Needs Node >= 18 and nothing else (no project code, no network, no database): an auditor can
 * copy this one file next to the export. The export is what GET /api/tickets/{id}/history
 * ?format=ndjson (or `npm run export-case -- <ticketId>`) writes: a header line, then one
 * stored event per line. Each event's metadata carries `hash` and `prevHash`:
 *
 *   hash = SHA-256( prevHash + "\n" + canonical({ streamId, version, id, type, data, metadata }) )
 *
 * where `metadata` leaves out `hash` and `prevHash`, `version` is the decimal string, and
 * canonical JSON sorts object keys (no spaces; arrays in order). The first event of a stream
 * has prevHash = 64 zeros. The check: every hash recomputes; within a stream, consecutive
 * versions chain (prevHash = the previous event's hash); the ticket's own stream is complete
 * from version 0 with no gap; the header's event count matches. Policy events of the case
 * (deductions) are single events of their policy's stream: their hash recomputes, and when two
 * are consecutive versions they chain.
 *
 * Exit 0 and "OK" when intact (with the hash of the ticket stream's last event: compare it with
 * the one the server reports, or with a copy kept elsewhere, to know the export is the whole
 * case and not a re-hashed copy); exit 1 listing every problem, the first one first; exit 2 on
 * bad usage or an unreadable file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const GENESIS = '0'.repeat(64);

function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonical(v))).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

function hashOf(e) {
  const { hash: _h, prevHash: _p, ...metadata } = e.metadata ?? {};
  const content = canonical({ streamId: e.streamId, version: String(e.version), id: e.id, type: e.type, data: e.data, metadata });
  return createHash('sha256').update(String(e.metadata?.prevHash ?? '')).update('\n').update(content).digest('hex');
}

export function verifyCaseExport(text) {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const problems = [];
  if (lines.length === 0) return { ok: false, problems: ['the file is empty'], events: 0 };
  let header;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    return { ok: false, problems: ['line 1: not JSON'], events: 0 };
  }
  if (header?.kind !== 'case-export') problems.push('line 1: not a case export header (kind "case-export")');
  const ticketStream = `ticket-${header?.ticketId}`;
  const last = new Map();
  let ticketHead = null;
  let count = 0;
  for (let i = 1; i < lines.length; i++) {
    let e;
    try {
      e = JSON.parse(lines[i]);
    } catch {
      problems.push(`line ${i + 1}: not JSON`);
      continue;
    }
    count++;
    const where = `line ${i + 1} (${e.streamId}@${e.version}, ${e.type})`;
    const version = BigInt(e.version);
    const prevHash = String(e.metadata?.prevHash ?? '');
    if (hashOf(e) !== e.metadata?.hash) problems.push(`${where}: the hash does not match the content (edited)`);
    const before = last.get(e.streamId);
    if (before && before.version + 1n === version && before.hash !== prevHash) problems.push(`${where}: prevHash does not match the previous event's hash`);
    if (e.streamId === ticketStream) {
      if (!before && (version !== 0n || prevHash !== GENESIS)) problems.push(`${where}: the ticket's stream does not start at its first event`);
      if (before && before.version + 1n !== version) problems.push(`${where}: a ticket event is missing before it`);
      ticketHead = { version, hash: String(e.metadata?.hash) };
    }
    last.set(e.streamId, { version, hash: String(e.metadata?.hash) });
  }
  if (ticketHead === null) problems.push(`no event of ${ticketStream}`);
  if (typeof header?.events === 'number' && header.events !== count) problems.push(`the header announces ${header.events} events, the file holds ${count}`);
  return { ok: problems.length === 0, problems, events: count, ticketId: header?.ticketId ?? null, ticketHead };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node tools/verify-case-export.mjs <case-export.ndjson>');
    process.exit(2);
  }
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`cannot read ${file}: ${err.message}`);
    process.exit(2);
  }
  const r = verifyCaseExport(text);
  if (r.ok) {
    console.log(`OK: ${r.events} events of ticket ${r.ticketId}; its stream is intact through version ${r.ticketHead.version}, last hash ${r.ticketHead.hash}`);
    process.exit(0);
  }
  console.log(`BROKEN: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} (the first is where the record stops being trustworthy)`);
  for (const p of r.problems) console.log(`  ${p}`);
  process.exit(1);
}
