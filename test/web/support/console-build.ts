/**
 * The browser suites run against the built console (dist/web). It is built here when missing
 * or older than its sources (CI builds it before npm test; a developer who changed a screen
 * gets a fresh build). Parallel jest workers share one build through a lock directory.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../../..');
export const WEB_DIR = path.join(ROOT, 'dist/web');
const SOURCES = [path.join(ROOT, 'apps/web/src'), path.join(ROOT, 'apps/web/index.html'), path.join(ROOT, 'apps/web/vite.config.mts')];

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), st.mtimeMs);
}

export function consoleIsStale(): boolean {
  const manifest = path.join(WEB_DIR, '.vite/manifest.json');
  if (!fs.existsSync(path.join(WEB_DIR, 'index.html')) || !fs.existsSync(manifest)) return true;
  const built = fs.statSync(manifest).mtimeMs;
  return SOURCES.some((s) => fs.existsSync(s) && newestMtime(s) > built);
}

export async function ensureConsoleBuilt(): Promise<void> {
  if (!consoleIsStale()) return;
  const lock = path.join(ROOT, '.tmp/web-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // another worker builds: wait for it, then check again
      if (Date.now() > deadline) throw new Error(`the console build lock ${lock} was held for 5 minutes (remove it if no build runs)`);
      await new Promise((r) => setTimeout(r, 500));
      if (!consoleIsStale()) return;
    }
  }
  try {
    if (consoleIsStale()) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    }
  } finally {
    fs.rmdirSync(lock);
  }
}
