import * as fs from 'fs';
import { AddressInfo } from 'net';
import { chromium, Browser } from 'playwright-core';
import { TestApp, startTestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The Content-Security-Policy in a real browser (Debian's Chromium): Swagger UI at /api/docs
 * (external scripts from 'self', inline <style>, data: images) renders its operations with no
 * policy violation, and the same policy refuses an inline script (so it is not a no-op).
 */
describe('Content-Security-Policy in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lets Swagger UI work under the policy, with no violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    // (browser code as strings: this project's TypeScript has no DOM types)
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (e) => console.error('Refused to (CSP) ' + e.violatedDirective + ' ' + e.blockedURI))",
    );
    const response = await page.goto(`${base}/api/docs`, { waitUntil: 'networkidle' });
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock-summary', { timeout: 20_000 });
    const operations = await page.locator('.opblock-summary').count();
    expect(operations).toBeGreaterThan(10);
    // an operation expands (Swagger UI's own scripts run)
    await page.locator('.opblock-summary').first().click();
    await page.waitForSelector('.opblock-body', { timeout: 10_000 });
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  it('refuses inline scripts on pages the API serves', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Refused to|Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/api/docs`, { waitUntil: 'networkidle' });
    const ran = await page.evaluate(`(() => {
      window.inlineRan = false;
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.appendChild(s);
      return window.inlineRan;
    })()`);
    expect(ran).toBe(false);
    // and styles injected at run time (what Mantine does) do apply
    const color = await page.evaluate(`(() => {
      const style = document.createElement('style');
      style.textContent = '#csp-probe { color: rgb(1, 2, 3); }';
      document.head.appendChild(style);
      const el = document.createElement('div');
      el.id = 'csp-probe';
      el.setAttribute('style', 'margin-left: 7px');
      document.body.appendChild(el);
      return getComputedStyle(el).color + ' ' + getComputedStyle(el).marginLeft;
    })()`);
    expect(color).toBe('rgb(1, 2, 3) 7px');
    expect(violations.some((v) => /script/i.test(v))).toBe(true);
    await page.close();
  }, 60_000);
});
