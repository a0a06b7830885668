/**
 * The contract fuzzer: the real API on a temporary DATA_DIR with the embedded stores, a little
 * seeded data (so that ids exist), and schemathesis (pinned, from PyPI, in a virtual
 * environment under .tmp/) run with every check against the OpenAPI document the server
 * serves, once per role's token. Used by `npm run fuzz` (test/fuzz/run.ts) and by CI through
 * test/fuzz/fuzz.spec.ts (one jest test per role).
 *
 * A failure may only be accepted in test/fuzz/baseline.json (schemathesis' own baseline
 * format), and every entry there must carry a written `reason`.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SqliteEventStore } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { createApp } from '../../apps/api/src/app';
import { loadConfig } from '../../apps/api/src/config';
import { signToken } from '../../apps/api/src/http/auth';

export const ROOT = path.resolve(__dirname, '../..');
export const FUZZ_DIR = __dirname;
export const VENV = path.join(ROOT, '.tmp', 'fuzz-venv');
export const REQUIREMENTS = path.join(FUZZ_DIR, 'requirements.txt');
export const BASELINE = path.join(FUZZ_DIR, 'baseline.json');
export const CONFIG = path.join(FUZZ_DIR, 'schemathesis.toml');
export const FUZZ_ROLES = ['admin', 'agent', 'supervisor', 'auditor', 'finance', 'customer'] as const;
export type FuzzRole = (typeof FUZZ_ROLES)[number];

const SECRET = 'fuzz-secret-for-the-contract-run';

// ------------------------------------------------------------------ the virtual environment

/** the pinned schemathesis version (the requirements file pins it and everything it pulls in) */
export function pinnedVersion(): string {
  const m = /^schemathesis==(\S+)$/m.exec(fs.readFileSync(REQUIREMENTS, 'utf8'));
  if (!m) throw new Error(`${REQUIREMENTS} does not pin schemathesis`);
  return m[1];
}

/**
 * Creates .tmp/fuzz-venv with `python3 -m venv` and installs the pinned requirements when the
 * environment is missing or holds another version; answers the `st` executable.
 */
export function ensureSchemathesis(log: (line: string) => void = () => undefined): string {
  const st = path.join(VENV, 'bin', 'st');
  const want = pinnedVersion();
  const stamp = path.join(VENV, 'requirements.installed');
  const requirements = fs.readFileSync(REQUIREMENTS, 'utf8');
  if (fs.existsSync(st) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === requirements) return st;
  log(`installing schemathesis ${want} into ${path.relative(ROOT, VENV)} (python3 -m venv, pip)`);
  fs.rmSync(VENV, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(VENV), { recursive: true });
  execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'pipe' });
  execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], {
    stdio: 'pipe',
    timeout: 10 * 60_000,
  });
  const version = execFileSync(st, ['--version'], { encoding: 'utf8' });
  if (!version.includes(want)) throw new Error(`expected schemathesis ${want}, got ${version.trim()}`);
  fs.writeFileSync(stamp, requirements);
  return st;
}

// ------------------------------------------------------------------ the server and its data

export interface Seeded {
  customerId: string;
  otherCustomerId: string;
  policyId: string;
  /** a ticket of `customerId` with an accepted policy estimate and a work log */
  ticketId: string;
  /** a ticket of `customerId` with a pending per-event quote */
  quotedTicketId: string;
  quoteId: string;
  pendingQuoteId: string;
  /** a ticket of the other customer (outside the customer token's scope) */
  otherTicketId: string;
  position: number;
}

export interface FuzzServer {
  baseUrl: string;
  dataDir: string;
  app: NestFastifyApplication;
  seeded: Seeded;
  token(role: FuzzRole): string;
  close(): Promise<void>;
}

/** The real API (embedded stores, in-process projector and scheduler) on an ephemeral port, seeded. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpdesk-fuzz-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    HELPDESK_PRESET: 'impera',
    // a generated X-Min-Position far ahead waits this long before its 503
    MIN_POSITION_WAIT_MS: '20',
    // the limiter stays on (the document declares its 429 everywhere) but a run stays under it
    RATE_LIMIT_PER_IP: '100000000',
    RATE_LIMIT_PER_TOKEN: '100000000',
  });
  const events = SqliteEventStore.open(path.join(dataDir, 'events.db'));
  const views = SqliteReadStore.open(path.join(dataDir, 'views.db'));
  const app = await createApp({ config, events, views }, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const tokens = new Map<FuzzRole, string>();
  const token = (role: FuzzRole) => {
    if (!tokens.has(role)) {
      tokens.set(role, signToken(SECRET, `fuzz-${role}`, [role], role === 'customer' ? seeded.customerId : undefined, '2h'));
    }
    return tokens.get(role)!;
  };
  const staff = (role: Exclude<FuzzRole, 'customer'>) => signToken(SECRET, `seed-${role}`, [role], undefined, '1h');
  let seeded: Seeded;
  try {
    seeded = await seed(baseUrl, staff);
  } catch (err) {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    baseUrl,
    dataDir,
    app,
    seeded,
    token,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(baseUrl: string, method: string, url: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`seeding: ${method} ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A little real data: two customers, a policy, tickets, an accepted estimate with a work log, a pending quote. */
async function seed(baseUrl: string, staff: (role: Exclude<FuzzRole, 'customer'>) => string): Promise<Seeded> {
  const admin = staff('admin');
  const agent = staff('agent');
  const customerId = randomUUID();
  const otherCustomerId = randomUUID();
  await call(baseUrl, 'POST', '/api/customers', admin, { customerId, name: 'Hoteles del Bajío SA de CV' });
  await call(baseUrl, 'POST', '/api/customers', admin, { customerId: otherCustomerId, name: 'Servicios Tlaloc' });
  const today = new Date().toISOString().slice(0, 10);
  const startsOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const policyId = randomUUID();
  await call(baseUrl, 'POST', '/api/policies', admin, { policyId, customerId, plan: 'business', startsOn });
  const customerToken = signToken(SECRET, 'seed-customer', ['customer'], customerId, '1h');
  const ticketId = randomUUID();
  await call(baseUrl, 'POST', '/api/tickets', customerToken, {
    ticketId,
    department: 'support',
    subject: 'El sitio web no carga desde dos dispositivos',
    description: 'Desde ayer por la tarde el sitio no abre en la oficina ni en el celular.',
    reportedPriority: 'high',
  });
  const quoteId = randomUUID();
  await call(baseUrl, 'POST', `/api/tickets/${ticketId}/quotes`, agent, { quoteId, kind: 'policy-estimate', minutes: 120, description: 'Revisión del DNS y del hosting' });
  await call(baseUrl, 'POST', `/api/tickets/${ticketId}/quotes/${quoteId}/authorization`, customerToken, { decision: 'accept' });
  await call(baseUrl, 'POST', `/api/tickets/${ticketId}/work-logs`, agent, { minutes: 30, workedOn: today, description: 'Revisión de los registros DNS' });
  const quotedTicketId = randomUUID();
  await call(baseUrl, 'POST', '/api/tickets', agent, {
    ticketId: quotedTicketId,
    customerId,
    department: 'support',
    subject: 'Migrar el correo a otro proveedor',
    description: 'Piden mover 12 buzones.',
  });
  const pendingQuoteId = randomUUID();
  await call(baseUrl, 'POST', `/api/tickets/${quotedTicketId}/quotes`, agent, {
    quoteId: pendingQuoteId,
    kind: 'per-event',
    minutes: 240,
    hourlyRateMinor: 65_000,
    currency: 'MXN',
    description: 'Migración de 12 buzones',
  });
  const otherTicketId = randomUUID();
  const last = await call(baseUrl, 'POST', '/api/tickets', agent, {
    ticketId: otherTicketId,
    customerId: otherCustomerId,
    department: 'billing',
    subject: 'Factura duplicada',
    description: 'Llegaron dos facturas del mismo mes.',
  });
  return { customerId, otherCustomerId, policyId, ticketId, quotedTicketId, quoteId, pendingQuoteId, otherTicketId, position: Number(last.position) };
}

// ------------------------------------------------------------------ the document under test

type Json = Record<string, unknown>;

/**
 * The served document with the seeded ids as examples of the path parameters (and of body
 * fields naming a customer or policy), so the examples phase reaches real resources; the
 * other phases still generate their own values.
 */
export function documentWithSeededExamples(doc: Json, seeded: Seeded): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const byName: Record<string, string> = {
    id: seeded.ticketId,
    quoteId: seeded.quoteId,
    policyId: seeded.policyId,
    customerId: seeded.customerId,
  };
  for (const item of Object.values(copy.paths as Record<string, Json>)) {
    for (const op of Object.values(item) as Json[]) {
      for (const p of (op.parameters as Json[] | undefined) ?? []) {
        const value = byName[p.name as string];
        if (value !== undefined && (p.in === 'path' || p.in === 'query')) {
          delete p.examples;
          p.example = value;
        }
      }
    }
  }
  // bodies that refer to an existing customer (not the one registering a new customer)
  const schemas = ((copy.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
  for (const name of ['OpenTicketDto', 'RegisterPolicyDto']) {
    const props = schemas[name]?.properties as Record<string, Json> | undefined;
    if (props?.customerId) props.customerId.example = seeded.customerId;
  }
  return copy;
}

// ------------------------------------------------------------------ the baseline

export interface BaselineEntry {
  id?: string;
  operation: string;
  check: string;
  failure: string;
  signature: string;
  reason?: unknown;
}

/** the baseline's entries, refusing any without a written reason */
export function readBaseline(file = BASELINE): BaselineEntry[] {
  if (!fs.existsSync(file)) return [];
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries?: BaselineEntry[] };
  const entries = raw.entries ?? [];
  const unexplained = entries.filter((e) => typeof e.reason !== 'string' || e.reason.trim().length < 20);
  if (unexplained.length > 0) {
    throw new Error(
      `${path.relative(ROOT, file)}: every accepted failure needs a written reason (a "reason" of at least 20 characters); missing for: ` +
        unexplained.map((e) => `${e.operation} ${e.check}`).join('; '),
    );
  }
  return entries;
}

// ------------------------------------------------------------------ one run

export interface FuzzOptions {
  maxExamples?: number;
  seed?: number;
  workers?: number;
  /** schemathesis phases for the operations the role may call (default: every phase) */
  phases?: string;
  /** extra schemathesis arguments */
  extraArgs?: string[];
  log?: (line: string) => void;
}

export interface RoleResult {
  role: FuzzRole;
  exitCode: number;
  /** schemathesis' console output (its summary names every failure with a reproduction) */
  output: string;
  /** from the NDJSON events: every failing check (baselined ones included; the exit code decides) */
  failures: Array<{ operation: string; check: string; title: string; status: number | null }>;
  /** test cases and operations the run went through */
  cases: number;
  operations: number;
  seconds: number;
}

/**
 * Test cases per operation and phase. Ten keeps a run of every role within a few minutes on
 * a 2-core machine (schemathesis' data generation, not the API, takes most of the time);
 * `FUZZ_MAX_EXAMPLES` or `npm run fuzz -- --max-examples N` asks for more.
 */
export const DEFAULT_MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 10);

/** `METHOD /path` of every operation, with the roles the document says may call it (`x-roles`; none: any signed-in caller or public) */
export function operationsOf(doc: Json): Array<{ name: string; roles: string[] | null }> {
  const out: Array<{ name: string; roles: string[] | null }> = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Json]>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      out.push({ name: `${method.toUpperCase()} ${p}`, roles: Array.isArray(op['x-roles']) ? (op['x-roles'] as string[]) : null });
    }
  }
  return out;
}

/**
 * Runs schemathesis with every check as one role against the running server, in up to three
 * runs: the operations this role is the first (in FUZZ_ROLES' order) allowed to call with every
 * phase (examples, coverage, fuzzing, stateful); the other operations it may call with
 * examples and fuzzing (the coverage phase's requests would be the same as the first role's);
 * the operations the document's x-roles leaves it out of (403 forbidden) with their examples
 * only, which is enough to check that answer and costs a few cases instead of hundreds.
 */
export async function fuzzRole(server: FuzzServer, role: FuzzRole, options: FuzzOptions = {}): Promise<RoleResult> {
  const log = options.log ?? (() => undefined);
  const st = ensureSchemathesis(log);
  readBaseline();
  const workDir = path.join(ROOT, '.tmp', 'fuzz', `${role}-${process.pid}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const res = await fetch(`${server.baseUrl}/api/openapi.json`);
  const doc = documentWithSeededExamples((await res.json()) as Json, server.seeded);
  const schemaFile = path.join(workDir, 'openapi.json');
  fs.writeFileSync(schemaFile, JSON.stringify(doc, null, 2));
  const operations = operationsOf(doc);
  const may = (o: { roles: string[] | null }, r: string) => !o.roles || o.roles.includes(r);
  // the coverage phase (every boundary and negative case of the document, deterministic: the
  // same requests whoever sends them) runs once per operation, with the first role in
  // FUZZ_ROLES' order that may call it; the others fuzz it with their own token
  const owned = operations.filter((o) => may(o, role) && FUZZ_ROLES.find((r) => may(o, r)) === role).map((o) => o.name);
  const shared = operations.filter((o) => may(o, role) && FUZZ_ROLES.find((r) => may(o, r)) !== role).map((o) => o.name);
  const forbidden = operations.filter((o) => !may(o, role)).map((o) => o.name);
  const started = Date.now();
  const runs: Array<{ code: number; output: string; events: string }> = [];
  for (const [part, names, phases] of [
    ['owned', owned, options.phases ?? 'examples,coverage,fuzzing,stateful'],
    ['shared', shared, options.phases ?? 'examples,fuzzing'],
    ['forbidden', forbidden, 'examples'],
  ] as const) {
    if (names.length === 0) continue;
    const events = path.join(workDir, `${part}.ndjson`);
    // schemathesis writes a missing baseline file from the run (accepting everything) and may
    // update it: it gets a copy, never the reviewed file
    const baseline = path.join(workDir, `${part}-baseline.json`);
    fs.writeFileSync(baseline, fs.existsSync(BASELINE) ? fs.readFileSync(BASELINE) : JSON.stringify({ format_version: 1, entries: [] }));
    const args = [
      '--config-file',
      CONFIG,
      'run',
      schemaFile,
      '--url',
      server.baseUrl,
      '--checks',
      'all',
      '--header',
      `Authorization: Bearer ${server.token(role)}`,
      '--phases',
      phases,
      ...names.flatMap((name) => ['--include-name', name]),
      '--max-examples',
      String(options.maxExamples ?? DEFAULT_MAX_EXAMPLES),
      '--seed',
      String(options.seed ?? Number(process.env.FUZZ_SEED ?? 20261201)),
      // one worker: CPython 3.11 before 3.11.8 shares the AST constructor's recursion counter
      // between threads (gh-106905), and hypothesis parses lambdas while generating: with two
      // workers a run can die on "SystemError: AST constructor recursion depth mismatch"
      '--workers',
      String(options.workers ?? 1),
      // hypothesis' data-generation speed check is timed: on a shared machine it fails for
      // load, not for anything in the API or its document (every other health check stays on)
      '--suppress-health-check',
      'too_slow',
      // an endless text/event-stream: a request never completes (test/api/live-updates.spec.ts covers it)
      '--exclude-path',
      '/api/events/stream',
      '--baseline',
      baseline,
      '--report',
      'ndjson',
      '--report-ndjson-path',
      events,
      '--no-color',
      '--output-truncate',
      'false',
      ...(options.extraArgs ?? []),
    ];
    const { code, output } = await run(st, args, workDir, log);
    runs.push({ code, output: `---- ${part} operations (${names.length}; phases ${phases})\n${output}`, events });
  }
  const parsed = runs.map((r) => parseEvents(r.events));
  return {
    role,
    exitCode: Math.max(0, ...runs.map((r) => r.code)),
    output: runs.map((r) => r.output).join('\n'),
    failures: parsed.flatMap((p) => p.failures),
    cases: parsed.reduce((n, p) => n + p.cases, 0),
    operations: parsed.reduce((n, p) => n + p.operations, 0),
    seconds: (Date.now() - started) / 1000,
  };
}

function run(cmd: string, args: string[], cwd: string, log: (line: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(cmd, args, { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1', NO_COLOR: '1' } });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** failures (not baselined) and counts from schemathesis' NDJSON event stream */
export function parseEvents(file: string): Pick<RoleResult, 'failures' | 'cases' | 'operations'> {
  const failures: RoleResult['failures'] = [];
  let cases = 0;
  const operations = new Set<string>();
  if (!fs.existsSync(file)) return { failures, cases, operations: 0 };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let event: Json;
    try {
      event = JSON.parse(line) as Json;
    } catch {
      continue;
    }
    const scenario = event.ScenarioFinished as Json | undefined;
    if (!scenario) continue;
    const recorder = scenario.recorder as Json | undefined;
    const label = (recorder?.label as string | undefined) ?? '';
    if (label) operations.add(label);
    cases += Object.keys((recorder?.cases as Json | undefined) ?? {}).length;
    for (const checks of Object.values((recorder?.checks as Record<string, Json[]> | undefined) ?? {})) {
      for (const check of checks) {
        if (check.status !== 'failure') continue;
        const failure = (check.failure_info as Json | undefined)?.failure as Json | undefined;
        failures.push({
          operation: String(failure?.operation ?? label),
          check: String(check.name),
          title: `${String(failure?.title ?? '')}: ${String(failure?.message ?? '').split('\n')[0]}`,
          status: null,
        });
      }
    }
  }
  return { failures, cases, operations: operations.size };
}
