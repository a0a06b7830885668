/**
 * node -r @swc-node/register bench/support/profile-summary.ts <file.cpuprofile> [top=40]
 * Where a `node --cpu-prof` profile spends its time: self time by function, by package (or
 * source directory), and the inclusive time of the frames that matter in the request path.
 */
import * as fs from 'fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 40);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// samples taken while the profiler itself was being stopped (the inspector's post) are not the server's work
const underInspector = (id: number) => {
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) if (byId.get(x)!.callFrame.url === 'node:inspector') return true;
  return false;
};
for (let i = 0; i < profile.samples.length; i++) if (underInspector(profile.samples[i])) profile.timeDeltas[i] = 0;
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfUs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);
const busy = total - idle;

const where = (url: string) => {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const s = /\/(apps|libs|bench|test|tools)\/([^/]+)\/(?:src\/)?([^/]+)?/.exec(url);
  if (s) return `${s[1]}/${s[2]}${s[3] && s[1] !== 'libs' ? '' : ''}`;
  if (url.startsWith('node:')) return url.split('/')[0] + '/' + (url.split(':')[1]?.split('/')[0] ?? '');
  return url.replace(/^.*\//, '');
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}${n.callFrame.url && !n.callFrame.url.includes('node_modules') ? `:${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}` : ''}`;

const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (${((100 * busy) / total).toFixed(0)}%); shares below are of busy time`);

const agg = (key: (n: Node) => string) => {
  const m = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    m.set(key(n), (m.get(key(n)) ?? 0) + us);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};
console.log('\nself time by function:');
for (const [k, us] of agg(label).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
console.log('\nself time by package / directory:');
for (const [k, us] of agg((n) => (['(garbage collector)', '(program)'].includes(n.callFrame.functionName) ? n.callFrame.functionName : where(n.callFrame.url))).slice(0, 25)) {
  console.log(`  ${pct(us)}  ${k}`);
}

// inclusive time of frames whose name matches, counted once per sample
const inclusive = (test: (n: Node) => boolean) => {
  let us = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      if (test(byId.get(id)!)) {
        us += profile.timeDeltas[i] ?? 0;
        break;
      }
    }
  }
  return us;
};
const frames: Array<[string, (n: Node) => boolean]> = [
  ['Nest router (guards, pipes, interceptors, handler)', (n) => n.callFrame.url.includes('@nestjs/core/router')],
  ['ValidationPipe (class-transformer + class-validator)', (n) => n.callFrame.functionName === 'transform' && n.callFrame.url.includes('validation.pipe')],
  ['class-transformer', (n) => n.callFrame.url.includes('class-transformer')],
  ['class-validator', (n) => n.callFrame.url.includes('class-validator')],
  ['AuthGuard.canActivate', (n) => n.callFrame.functionName === 'canActivate'],
  ['jsonwebtoken', (n) => n.callFrame.url.includes('jsonwebtoken') || n.callFrame.url.includes('/jws/')],
  ['JSON.stringify', (n) => n.callFrame.functionName === 'stringify'],
  ['JSON.parse', (n) => n.callFrame.functionName === 'parse' && !n.callFrame.url],
  ['read store (libs/read-store)', (n) => n.callFrame.url.includes('libs/read-store')],
  ['better-sqlite3', (n) => n.callFrame.url.includes('better-sqlite3')],
  ['queries (libs/projections/src/queries)', (n) => n.callFrame.url.includes('projections/src/queries')],
  ['projector (libs/projections)', (n) => n.callFrame.url.includes('libs/projections/src/projector') || n.callFrame.url.includes('libs/projections/src/projection')],
  ['command pipeline', (n) => n.callFrame.url.includes('command-pipeline')],
  ['event store (libs/event-store)', (n) => n.callFrame.url.includes('libs/event-store')],
  ['domain (libs/domain)', (n) => n.callFrame.url.includes('libs/domain')],
  ['calendar / luxon', (n) => n.callFrame.url.includes('libs/calendar') || n.callFrame.url.includes('luxon')],
  ['ticket view', (n) => n.callFrame.url.includes('ticket-view')],
  ['fastify', (n) => n.callFrame.url.includes('node_modules/fastify/')],
  ['rxjs', (n) => n.callFrame.url.includes('rxjs')],
  ['@nestjs/cqrs', (n) => n.callFrame.url.includes('@nestjs/cqrs')],
  ['garbage collector', (n) => n.callFrame.functionName === '(garbage collector)'],
];
console.log('\ninclusive time of request-path frames:');
for (const [name, test] of frames) console.log(`  ${pct(inclusive(test))}  ${name}`);
