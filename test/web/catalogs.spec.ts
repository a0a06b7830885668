/**
 * Every visible string of the console comes from the message catalogs: es-MX (default), es-CO
 * and en hold exactly the same keys, none empty, with the same {variables}; every key the code
 * names exists, and every key family it builds from API values (`sla.state.${state}`) has keys.
 */
import * as fs from 'fs';
import * as path from 'path';
import { en } from '../../apps/web/src/shared/i18n/catalogs/en';
import { esCO } from '../../apps/web/src/shared/i18n/catalogs/es-CO';
import { esMX } from '../../apps/web/src/shared/i18n/catalogs/es-MX';

const SRC = path.resolve(__dirname, '../../apps/web/src');
const catalogs: Record<string, Record<string, string>> = { 'es-MX': esMX, 'es-CO': esCO, en };

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'catalogs' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const variables = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const reference = Object.keys(esMX).sort();

  it.each(Object.keys(catalogs))('%s has exactly the keys of es-MX, none empty', (language) => {
    const keys = Object.keys(catalogs[language]).sort();
    expect(keys.filter((k) => !(k in esMX))).toEqual([]);
    expect(reference.filter((k) => !(k in catalogs[language]))).toEqual([]);
    expect(keys.filter((k) => catalogs[language][k].trim() === '')).toEqual([]);
  });

  it.each(Object.keys(catalogs))('%s uses the same {variables} as es-MX in every message', (language) => {
    const differing = reference.filter((k) => variables(catalogs[language][k]).join() !== variables(esMX[k as keyof typeof esMX]).join());
    expect(differing).toEqual([]);
  });

  /**
   * Keys whose English and Spanish texts are the same on purpose: words both languages use
   * (Mexican and Colombian help desks say "ticket"; "Auditor" and "Supervisor" are the same
   * word; "Portal", "Chat"), the languages' own names, and units ("h", "min"). Any other key
   * with the same text in en and es-MX is an untranslated string and fails.
   */
  const INTENTIONALLY_IDENTICAL: RegExp[] = [
    /^language\./, // each language is named in its own words in every catalog
    /^channel\.(portal|chat)$/,
    /^duration\./, // "3 h 20 min"
    /^quote\.poNumber$/,
    /^role\.(auditor|supervisor)$/,
    /^queue\.count(\.one)?$/, // "{n} tickets", "1 ticket"
    /^ticket\.ref$/, // "Ticket {id}"
    /^policy\.col\.ticket$/, // "Ticket"
  ];

  it('English is really English and es-CO says what differs in Colombia', () => {
    const same = reference.filter((k) => en[k as keyof typeof en] === esMX[k as keyof typeof esMX] && /[a-záéíóúñ]{4,}/i.test(esMX[k as keyof typeof esMX]));
    expect(same.filter((k) => !INTENTIONALLY_IDENTICAL.some((re) => re.test(k)))).toEqual([]);
    expect(esCO['openTicket.title']).not.toBe(esMX['openTicket.title']);
  });

  const code = sources(SRC).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

  it('every key the code names is in the catalogs', () => {
    const missing: string[] = [];
    for (const { file, text } of code) {
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) if (!(m[1] in esMX)) missing.push(`${path.relative(SRC, file)}: ${m[1]}`);
      // keys chosen by a condition: t(cond ? 'a.b' : 'c.d')
      for (const m of text.matchAll(/\bt\(\s*[^'`()]*\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) {
        for (const k of [m[1], m[2]]) if (!(k in esMX)) missing.push(`${path.relative(SRC, file)}: ${k}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every key family the code builds from API values has keys', () => {
    const empty: string[] = [];
    for (const { file, text } of code) {
      for (const m of text.matchAll(/\b(?:t|tx)\(\s*`([a-zA-Z.-]+)\.\$\{/g)) {
        const prefix = `${m[1]}.`;
        if (!reference.some((k) => k.startsWith(prefix))) empty.push(`${path.relative(SRC, file)}: ${prefix}*`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('the graded SLA states, ticket statuses and refusal codes the API sends all have words', () => {
    for (const state of ['on-track', 'at-risk', 'breached', 'paused', 'met', 'none']) expect(esMX).toHaveProperty([`sla.state.${state}`]);
    for (const reason of ['awaiting-customer', 'outside-business-hours']) expect(esMX).toHaveProperty([`sla.paused.${reason}`]);
    for (const status of ['open', 'awaiting-customer', 'closed']) expect(esMX).toHaveProperty([`status.${status}`]);
    for (const code of ['authorization-required', 'exceeds-authorization', 'insufficient-balance', 'policy-expired', 'no-coverage', 'quote-pending', 'follow-up-too-early', 'invalid-credentials', 'too-many-attempts']) {
      expect(esMX).toHaveProperty([`problem.${code}`]);
    }
  });
});
