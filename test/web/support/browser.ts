/**
 * Debian's chromium driven by playwright-core (never a downloaded browser). Without
 * /usr/bin/chromium the browser suites are skipped and say so, except in CI (CI=true) or with
 * REQUIRE_BROWSER=1, where they fail.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './console-build';

// evaluated in the page (this program is type-checked without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserRequired = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';
export const browserAvailable = fs.existsSync(CHROMIUM);

/** describe when chromium is here or required (then a missing browser fails the suite), else describe.skip */
export const describeBrowser = (typeof describe === 'undefined' ? undefined : browserAvailable || browserRequired ? describe : describe.skip) as jest.Describe;
if (!browserAvailable && !browserRequired && typeof describe !== 'undefined') {
  console.warn(`browser suites SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium; CI requires it)`);
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--lang=es-MX'];

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

/** a fresh chromium (playwright gives each launch a new temporary user-data-dir and removes it) */
export async function launchChromium(): Promise<Chromium> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium is required (CI=true or REQUIRE_BROWSER=1) but ${CHROMIUM} does not exist: apt-get install -y chromium`);
  // the browser's own language (native date and month inputs, their pickers) is the console's: Mexican Spanish
  // (Debian's chromium reads it from LANGUAGE; its Spanish resources are in chromium-l10n)
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env: { ...process.env, LANGUAGE: 'es-MX', LANG: 'es_MX.UTF-8' } });
  return { browser, close: () => browser.close() };
}

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 860 };

export async function newContext(browser: Browser, options: { viewport?: { width: number; height: number }; token?: string; language?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  if (options.token) {
    // token mode (a server without sign-in): the console keeps the token in sessionStorage
    await context.addInitScript((token: string) => window.sessionStorage.setItem('helpdesk.token', token), options.token);
  }
  if (options.language) {
    await context.addInitScript((language: string) => window.localStorage.setItem('helpdesk.language', language), options.language);
  }
  return context;
}

// ------------------------------------------------------------------ accessibility (axe-core)

const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string; failureSummary?: string }>;
}

/** axe on the page as it is; the serious and critical violations */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // evaluated through the DevTools protocol: the console's Content-Security-Policy forbids inline scripts
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}  ${n.html.slice(0, 160)}\n      ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

/** waits until no loader shows (the screen has its data) */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('[data-loading="true"]').length === 0, undefined, { timeout: 15_000 });
}

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await settled(page);
  const violations = await seriousViolations(page);
  if (violations.length > 0) throw new Error(`axe found serious or critical violations on ${screen}:\n${describeViolations(violations)}`);
}

// ------------------------------------------------------------------ screenshots for the README

/**
 * Where screenshots go: .tmp/screenshots (CI keeps them as artifacts); with
 * UPDATE_SCREENSHOTS=1 into docs/screenshots, the committed ones the README shows.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : path.join(ROOT, '.tmp/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await settled(page);
  await page.evaluate(() => document.fonts?.ready);
  // the screen itself, without passing toasts
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: width < 500, animations: 'disabled', caret: 'hide', style: '.mantine-Notifications-root { display: none !important; }' });
}
