// Shared by the browser tests (ui.test.mjs) and `make screenshots` (screenshots.mjs): a fresh
// demo database, `iom serve` on 127.0.0.1 on a free port, Debian's chromium driven by
// playwright-core, and checks that hold on every page (no console error, no failed request,
// the marking banner).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const webModules = new URL('../../web/node_modules/', import.meta.url).pathname;
export const { chromium } = require(join(webModules, 'playwright-core'));
export const axeSource = require('node:fs').readFileSync(join(webModules, 'axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'demo-password-2026';
export const CHROMIUM = process.env.IOM_CHROMIUM || '/usr/bin/chromium';

export async function startServer(iom) {
  const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'iom-web-'));
  const db = join(dir, 'iom.db');
  execFileSync(iom, ['--db', db, 'demo', '--password', PASSWORD], { stdio: ['ignore', 'ignore', 'inherit'] });
  const proc = spawn(iom, ['--db', db, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const base = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`iom serve did not start: ${err}`)), 15000);
    proc.stderr.on('data', (d) => {
      err += d.toString();
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`iom serve exited ${code}: ${err}`)));
  });
  proc.stderr.resume();
  return {
    base, db, iom,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

// One user's browser context with the checks of every page. `allow(status, urlPart)` lets
// through one expected HTTP failure (an invalid bid, a stale version, another region's
// tasking); anything else is a failure of the test.
export async function userPage(browser, base, problems) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 900 },
    locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  const allowed = [];
  const everAllowed = [];
  page.allow = (status, urlPart) => { allowed.push({ status, urlPart }); everAllowed.push({ status, urlPart }); };
  const expected = (status, url) => {
    const i = allowed.findIndex((a) => a.status === status && url.includes(a.urlPart));
    if (i < 0) return false;
    allowed.splice(i, 1);
    return true;
  };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url || '';
    // Chromium logs every 4xx answer of fetch as "Failed to load resource": only the
    // answers the test expects may appear.
    const st = /status of (\d+)/.exec(msg.text());
    if (st && everAllowed.some((a) => a.status === Number(st[1]) && url.includes(a.urlPart))) return;
    problems.push(`console error: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400 && !expected(res.status(), res.url()))
      problems.push(`unexpected HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return page;
}

export async function signIn(page, user) {
  await page.goto('/');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: /What needs you now/ }).waitFor();
}

export async function axe(page) {
  await page.evaluate(axeSource); // through the debugging protocol: the page's CSP stays as it is
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
