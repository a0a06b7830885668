/**
 * The JavaScript a first screen needs: the entry chunk of index.html, every chunk it imports
 * statically, and the lazily loaded chunk of the screen itself with its static imports (from
 * Vite's build manifest). Sizes gzip-compressed at level 9, as a server would send them.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface FirstScreen {
  files: string[];
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
}

export function firstScreenJs(webDir: string, screenSrc: string): FirstScreen {
  const manifest = JSON.parse(fs.readFileSync(path.join(webDir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest`);
    seen.add(key);
    chunk.css?.forEach((c) => css.add(c));
    chunk.imports?.forEach(visit);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('no entry in the build manifest');
  visit(entry);
  visit(screenSrc);
  const files = [...seen].map((k) => manifest[k].file);
  let jsBytes = 0;
  let jsGzipBytes = 0;
  for (const f of files) {
    const data = fs.readFileSync(path.join(webDir, f));
    jsBytes += data.length;
    jsGzipBytes += zlib.gzipSync(data, { level: 9 }).length;
  }
  let cssGzipBytes = 0;
  for (const f of css) cssGzipBytes += zlib.gzipSync(fs.readFileSync(path.join(webDir, f)), { level: 9 }).length;
  return { files, jsBytes, jsGzipBytes, cssGzipBytes };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? 'dist/web');
  for (const screen of ['src/queue/QueueScreen.tsx', 'src/sign-in/SignInScreen.tsx', 'src/portal/PortalHome.tsx', 'src/ticket/TicketScreen.tsx']) {
    const r = firstScreenJs(dir, screen);
    console.log(`${screen}: ${(r.jsGzipBytes / 1024).toFixed(1)} KB gzip JS (${(r.jsBytes / 1024).toFixed(0)} KB raw, ${r.files.length} files), CSS ${(r.cssGzipBytes / 1024).toFixed(1)} KB gzip`);
  }
}
