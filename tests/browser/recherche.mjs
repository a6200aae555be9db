#!/usr/bin/env node
// Browser test of the site's search (recherche/index.html and static/recherche.js), in headless
// Debian Chromium.
//
//   node recherche.mjs <site dir> [--base-path /territoires/] --expect <query>=<title>|<title>…
//                      [--absent <query>=<title>] [--filter <name>=<value>=<count>]
//
// The expected titles are facts of the data under test, given on the command line (see
// tests/suite/navigation.rs). Checks:
//   - from the home page, with the keyboard only (Tab to the header's search box, typing,
//     Enter), the search page opens with the query in its address and shows its results;
//   - each --expect query lists at least those titles (links to their pages), each --absent one
//     does not list that title; the status (role="status") says how many results;
//   - each --filter, alone, leaves `count` results and puts `name=value` in the address;
//   - no request leaves the site, no console error; the bytes and time of the first query are
//     printed (measures, not assertions, except that the first query fetches under 150 KB).
// Prints "N passed, M failed" (checks) and exits 1 when a check failed, 2 when it could not run.

import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, serve } from './serveur.mjs';

const TIMEOUT = 3000;

function usage(message) {
  console.error(`recherche.mjs: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { dir: null, basePath: '/', expect: [], absent: [], filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const pair = (v) => { const at = v.indexOf('='); if (at < 0) usage(`bad value ${v}`); return [v.slice(0, at), v.slice(at + 1)]; };
    if (a === '--base-path') opts.basePath = argv[++i];
    else if (a === '--expect') { const [q, t] = pair(argv[++i]); opts.expect.push([q, t.split('|')]); }
    else if (a === '--absent') opts.absent.push(pair(argv[++i]));
    else if (a === '--filter') { const [name, rest] = pair(argv[++i]); const [value, count] = pair(rest); opts.filters.push([name, value, Number(count)]); }
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (opts.dir === null) opts.dir = a;
    else usage(`unexpected argument ${a}`);
  }
  if (opts.dir === null) usage('missing <site dir>');
  return opts;
}

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n       ${detail}`}`);
}

// The titles of the results the page shows, once its status speaks of the query `q` (any
// status when `q` is empty).
async function results(page, q = '') {
  await page.waitForFunction((q) => {
    const s = (document.getElementById('recherche-statut')?.textContent ?? '').trim();
    return s !== '' && (q === '' || s.includes(`« ${q} »`));
  }, q, { timeout: TIMEOUT }).catch(() => {});
  return {
    titles: await page.$$eval('#recherche-resultats li a', (as) => as.map((a) => a.textContent.trim())),
    hrefs: await page.$$eval('#recherche-resultats li a', (as) => as.map((a) => a.href)),
    status: (await page.locator('#recherche-statut').textContent() ?? '').trim(),
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const server = await serve(opts.dir, opts.basePath);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const site = `${origin}${opts.basePath}`;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ locale: 'fr-FR', serviceWorkers: 'block' });
    const outside = [];
    await context.route((u) => u.origin !== origin, (route) => { outside.push(route.request().url()); route.abort('blockedbyclient'); });
    const errors = [];
    const page = await context.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`${msg.text()} ${msg.location()?.url ?? ''}`); });
    page.on('pageerror', (err) => errors.push(err.message));
    // What the search adds to a page: its script and the parts of the index it fetches.
    let bytes = 0;
    let pageBytes = 0;
    page.on('response', async (r) => {
      const size = (await r.body().catch(() => Buffer.alloc(0))).length;
      if (r.url().endsWith('.json') && r.url().includes('/recherche/') || r.url().endsWith('recherche.js')) bytes += size;
      else if (new URL(r.url()).pathname.endsWith('/recherche/')) pageBytes += size;
    });

    // Keyboard only, from the home page: Tab to the header's search box, type, Enter.
    await page.goto(site);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'recherche-entete-q');
    }
    check('Tab reaches the search box of the header', reached);
    const [first, titles] = opts.expect[0];
    const started = Date.now();
    await page.keyboard.type(first);
    await page.keyboard.press('Enter');
    await page.waitForURL(/recherche\//, { timeout: TIMEOUT }).catch(() => {});
    const shown = await results(page, first);
    const elapsed = Date.now() - started;
    check(`the search page opens with ?q=${first}`, new URL(page.url()).searchParams.get('q') === first, page.url());
    check(`« ${first} » lists ${titles.join(', ')}`, titles.every((t) => shown.titles.includes(t)), shown.titles.join(' | '));
    const announced = Number((shown.status.match(/^(\d+) résultats? pour « /) || [])[1]);
    check('the status says how many results', announced >= shown.titles.length && shown.titles.length > 0, shown.status);
    check('results link to pages of the site', shown.hrefs.length > 0 && shown.hrefs.every((h) => h.startsWith(site)), shown.hrefs.join(' '));
    console.log(`     first query: ${(bytes / 1024).toFixed(1)} KB fetched for the search (script and index), the search page ${(pageBytes / 1024).toFixed(1)} KB, ${elapsed} ms from Enter to results`);
    check('the first query fetches under 150 KB', bytes > 0 && bytes < 150 * 1024, `${bytes} bytes`);

    // Each query typed in the page's own box.
    for (const [q, want] of opts.expect.slice(1)) {
      // Typed in the page's box: measured in the page, from the end of the 150 ms debounce to
      // the status announcing the results (the index files it needs fetched on the way).
      const ms = await page.evaluate((q) => new Promise((resolve) => {
        const champ = document.getElementById('recherche-q');
        const statut = document.getElementById('recherche-statut');
        const t0 = performance.now();
        new MutationObserver((_, obs) => {
          if (statut.textContent.includes(`« ${q} »`)) { obs.disconnect(); resolve(performance.now() - t0 - 150); }
        }).observe(statut, { childList: true, characterData: true, subtree: true });
        champ.value = q;
        champ.dispatchEvent(new Event('input'));
      }), q);
      const r = await results(page, q);
      console.log(`     « ${q} »: ${r.titles.length} results shown, ${ms.toFixed(0)} ms after the debounce`);
      await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, q, { timeout: TIMEOUT }).catch(() => {});
      check(`« ${q} » lists ${want.join(', ')}`, want.every((t) => r.titles.includes(t)), r.titles.join(' | '));
    }
    for (const [q, title] of opts.absent) {
      await page.fill('#recherche-q', q);
      const r = await results(page, q);
      check(`« ${q} » does not list ${title}`, !r.titles.includes(title), r.titles.join(' | '));
    }
    for (const [name, value, count] of opts.filters) {
      await page.goto(`${site}recherche/`);
      await page.selectOption(`#recherche-${name}`, value);
      await page.waitForFunction(([n, v]) => new URL(location.href).searchParams.get(n) === v, [name, value], { timeout: TIMEOUT }).catch(() => {});
      const r = await results(page);
      check(`the filter ${name} = ${value} leaves ${count} results`, r.titles.length === count, `${r.titles.length}: ${r.titles.join(' | ')}`);
      check(`the address says ${name}=${value}`, new URL(page.url()).searchParams.get(name) === value, page.url());
    }
    check('no request to another host', outside.length === 0, outside.join(' '));
    check('no console error', errors.length === 0, errors.join(' | '));
  } finally {
    if (browser) await browser.close();
    server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
