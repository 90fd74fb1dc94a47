// `make screenshots`: the main pages of the web UI over a fresh demo database, as PNG files
// in docs/screenshots/ (shown in README.md). Not part of `make test`, so a test run leaves the
// tree clean. Usage: node tests/web/screenshots.mjs IOM_BINARY OUTDIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, userPage, signIn } from './harness.mjs';

const [iom, out] = process.argv.slice(2);
if (!iom || !out) { console.error('usage: node tests/web/screenshots.mjs IOM_BINARY OUTDIR'); process.exit(2); }
mkdirSync(out, { recursive: true });
const problems = [];
const [server, browser] = await Promise.all([startServer(iom), launch()]);

// fullPage false: the first screen only (a long list, such as a review queue).
async function shot(page, name, fullPage = true) {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(out, `${name}.png`), fullPage });
  console.log(`${out}/${name}.png`);
}

async function as(user, visits) {
  const page = await userPage(browser, server.base, problems);
  await signIn(page, user);
  for (const [hash, name, then, fullPage] of visits) {
    if (hash !== null) await page.goto(`/#${hash}`);
    if (then) await then(page);
    await shot(page, name, fullPage ?? true);
  }
  await page.context().close();
}

try {
  const anon = await userPage(browser, server.base, problems);
  await anon.goto('/');
  await shot(anon, 'sign-in');
  await anon.context().close();
  await as('west-yorkshire-spoc', [
    [null, 'home-spoc'],
    ['/bid', 'bid-form', async (p) => {
      p.allow(400, '/api/v1/taskings');
      await p.getByLabel('Threat on the SOC master list').selectOption('SOC-000013');
      await p.getByLabel('Reference of the force tasking meeting').fill('WY-FTM-2026-099');
      await p.getByLabel('What is asked, in short').fill('Map the recruitment agency.');
      await p.getByRole('button', { name: 'Save the bid as a draft' }).click();
      await p.locator('.field-error:not(:empty)').first().waitFor();
    }],
  ]);
  await as('yhrocu-gateway', [[null, 'home-gateway']]);
  await as('toex-sia', [[null, 'home-sia'], ['/tasking/TOEX-2026-000002', 'tasking-in-development', async (p) => {
      // a second ToR version (a ToR varied in development), so the page shows the diff
      await p.locator('details:has(form[data-action="propose_tor"]) summary').click();
      const f = p.locator('form[data-action="propose_tor"]');
      await f.getByLabel('ROCU capability').check();
      await f.getByLabel('End date').fill('2027-04-30');
      // the milestones and products a row each (review 109 L1): the rows of version 1, then these
      const rows = async (noun, values, select) => {
        const all = f.locator(`[role="group"][aria-label^="${noun} "]`);
        while (await all.count() > values.length) await f.getByRole('button', { name: `Remove ${noun.toLowerCase()} ${await all.count()}` }).click();
        while (await all.count() < values.length) await f.getByRole('button', { name: `Add a ${noun.toLowerCase()}` }).click();
        for (const [i, [a, due]] of values.entries()) {
          const first = f.getByLabel(`${noun} ${i + 1}: ${select ? 'type' : 'name'}`, { exact: true });
          if (select) await first.selectOption(a); else await first.fill(a);
          await f.getByLabel(`${noun} ${i + 1}: due`, { exact: true }).fill(due);
        }
      };
      await rows('Milestone', [['Network mapped', '2026-12-15'], ['Controllers identified', '2027-01-31']]);
      await rows('Product', [['network_analysis', '2027-02-28'], ['financial_analysis', '2027-03-31']], true);
      await f.getByRole('button', { name: 'Propose' }).click();
      await p.locator('.tor-diff-result[data-from="1"][data-to="2"]').waitFor();
    }],
    ['/tasking/TOEX-2026-000001/review', 'conflation-review', async (p) => {
      await p.locator('article.pair table.waterfall').first().waitFor();
    }, false],
    ['/mopi', 'mopi-review', async (p) => {
      await p.getByLabel('Due within (days)').fill('3000');
      await p.getByRole('button', { name: 'Show', exact: true }).click();
      await p.getByRole('heading', { level: 2, name: /^Owned by/ }).first().waitFor();
    }, false]]);
  await as('toex-analyst', [
    ['/tasking/TOEX-2026-000001/network', 'network', async (p) => {
      await p.locator('.cy.drawn').waitFor({ timeout: 60000 });
      const net = p.getByTestId('network');
      const at = await net.evaluate((el) => {
        const n = el.cy.nodes().max((x) => x.degree()).ele;
        return { ref: n.id(), ...n.renderedPosition() };
      });
      await net.scrollIntoViewIfNeeded();
      const bb = await net.boundingBox();
      await p.mouse.click(bb.x + at.x, bb.y + at.y);
      await p.locator(`[data-testid="entity-panel"][data-entity="${at.ref}"]`).waitFor();
    }],
    ['/tasking/TOEX-2026-000001/network?types=person,phone,account&from=2026-09-01&to=2026-09-30&grade=1B&isolated=hide', 'network-filtered',
      async (p) => { await p.locator('.cy.drawn[data-filter*="1B"]').waitFor({ timeout: 60000 }); }, false],
    ['/tasking/TOEX-2026-000001/money', 'money-flows', async (p) => {
      await p.locator('[data-testid="money-graph"].drawn').waitFor();
    }, false],
    ['/tasking/TOEX-2026-000001/timeline', 'timeline', null, false],
    // opened by its address, a search waits for a click (review 109 L15)
    ['/search/Karol', 'search', async (p) => {
      await p.getByRole('button', { name: 'Run the search' }).click();
      await p.locator('tbody mark').first().waitFor();
    }]]);
  await as('greater-manchester-spoc', [['/bid/TOEX-2026-000011', 'bid-edit-returned', async (p) => {
    await p.getByTestId('returned-reason').waitFor();
  }]]);
  await as('auditor', [['/tasking/TOEX-2026-000001', 'tasking-closed-after-transfer'], ['/soc', 'soc-master-list'],
    ['/threat/SOC-000001', 'threat-ownership-history'], ['/audit', 'audit']]);
  await as('nca-apmis', [['/apmis', 'apmis-dashboard']]);
  await as('admin', [['/admin/users', 'admin-users'], ['/tokens', 'api-tokens'], ['/settings', 'settings']]);
  if (problems.length) { console.error(problems.join('\n')); process.exitCode = 1; }
} finally {
  await browser.close();
  await server.stop();
}
