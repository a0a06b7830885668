import { spawnSync } from 'child_process';
import * as path from 'path';
import { TEST_SECRET, TestApp, startTestApp } from '../support/test-app';
import { PASSWORD, anonymous, browser, tokenOf } from '../support/identity';

const ROOT = path.resolve(__dirname, '../..');

function npmRun(script: string, args: string[], dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, EVENT_STORE: 'sqlite', READ_STORE: 'embedded', JWT_SECRET: TEST_SECRET, PUBLIC_URL: 'https://mesa.example.mx' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `npm run users -- create-admin --email ...` prints a one-time setup link from the command
 * line, for the running server's stores; the link creates that administrator only. The
 * access log's streams keep the hash chain intact (`npm run verify-audit`).
 */
describe('npm run users -- create-admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('prints a link bound to the email; the server accepts it once, for that address only', async () => {
    const r = npmRun('users', ['create-admin', '--email', 'Jefa@Example.MX'], t.dataDir);
    expect(r.status).toBe(0);
    const url = r.stdout.trim();
    expect(url).toMatch(/^https:\/\/mesa\.example\.mx\/setup\?token=/);
    expect(r.stderr).toMatch(/for jefa@example\.mx, valid until/);
    const token = tokenOf(url);
    const other = await anonymous(t).post('/api/auth/setup').send({ token, email: 'otra@example.mx', name: 'Otra', password: PASSWORD }).expect(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);
    const ok = await anonymous(t).post('/api/auth/setup').send({ token, email: 'jefa@example.mx', name: 'La Jefa', password: PASSWORD }).expect(200);
    expect(browser(t, ok).me).toMatchObject({ roles: ['admin'], email: 'jefa@example.mx', name: 'La Jefa' });
    await anonymous(t).post('/api/auth/setup').send({ token, email: 'jefa@example.mx', name: 'La Jefa', password: PASSWORD }).expect(409);
  }, 60_000);

  it('refuses a bad email with exit 2', () => {
    expect(npmRun('users', ['create-admin', '--email', 'nope'], t.dataDir).status).toBe(2);
  }, 60_000);

  it('the access log and user streams keep the hash chain: verify-audit is clean', async () => {
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'jefa@example.mx', password: 'not the right one' }).expect(401);
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'nadie@example.mx', password: 'not the right one' }).expect(401);
    await anonymous(t).post('/api/auth/sign-in').send({ email: 'jefa@example.mx', password: PASSWORD }).expect(200);
    const r = npmRun('verify-audit', [], t.dataDir);
    expect(r.stdout).toMatch(/intact/);
    expect(r.status).toBe(0);
  }, 60_000);
});
