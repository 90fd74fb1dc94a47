// The network page's drawing time in headless Debian chromium, against a running `iom serve`
// over the demo database (issue 18 point 5; not part of `make test` or `make bench`):
//   node bench/web-network.mjs http://127.0.0.1:8080 [RUNS] [USER] [TASKING]
// Each run signs in (demo password, or IOM_DEMO_PASSWORD), opens the tasking, clicks its
// Network link and waits for the chart; it prints the page's own times (data-timing: API
// reads, preparing the elements, waiting for the page to be shown, starting Cytoscape, the
// fcose layout, the first paint), the page's total from its start and the time from the click
// (which adds playwright's own checks and polling), then the medians. A/B two builds by
// serving copies of one database on two ports and alternating runs.
import { launch, userPage, signIn } from '../tests/web/harness.mjs';

const [base, runsArg, user = 'toex-analyst', tasking = 'TOEX-2026-000001'] = process.argv.slice(2);
if (!base) { console.error('usage: node bench/web-network.mjs BASE_URL [RUNS] [USER] [TASKING]'); process.exit(2); }
const runs = Number(runsArg) || 4;
const browser = await launch();
const totals = [], clicks = [];
try {
  for (let i = 0; i < runs; i++) {
    const p = await userPage(browser, base, []);
    await signIn(p, user);
    await p.goto(`/#/tasking/${tasking}`);
    await p.getByRole('heading', { level: 1, name: new RegExp(tasking) }).waitFor();
    const t0 = Date.now();
    await p.getByRole('link', { name: 'Network', exact: true }).click();
    await p.locator('.cy.drawn').waitFor({ timeout: 60000 });
    const click = Date.now() - t0;
    const net = p.getByTestId('network');
    const total = Number(await net.getAttribute('data-total-ms'));
    totals.push(total);
    clicks.push(click);
    console.log(`run ${i + 1}: ${await net.getAttribute('data-nodes')} entities, ${await net.getAttribute('data-edges')} links; ` +
      `page ${total} ms ${await net.getAttribute('data-timing') || ''}; click to drawn ${click} ms`);
    await p.context().close();
  }
} finally {
  await browser.close();
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
console.log(`median of ${runs}: page ${median(totals)} ms, click to drawn ${median(clicks)} ms`);
