#!/usr/bin/env node
// Browser test of the filters of the local ingénierie catalogue (ingenierie/index.html and
// static/catalogue.js), in headless Debian Chromium.
//
//   node filtres.mjs <site dir> --expect-type <type>=<id>,<id>… --expect-search <words>=<id>,<id>…
//                    [--page ingenierie/] [--base-path /sous-dossier/]
//
// The expected actor ids are given on the command line (they are facts of the data under test,
// never worked out from the page's own data attributes): see tests/suite/ingenierie.rs.
//
// Checks, with the keyboard only (Space on a checkbox, typing, Enter on the reset button):
//   - every card is shown at first and the status says "M acteurs sur M correspondent";
//   - checking the type leaves exactly the expected cards, the status gives their number,
//     the URL gets `type=<type>`; reloading that URL, or opening it in a new tab, restores the
//     filter; the reset button shows every card again and clears the query string;
//   - typing the words in the search field leaves exactly the expected cards (`q=` in the URL);
//   - with JavaScript disabled every card is shown, even with `?type=<type>` in the URL;
//   - no console error (a CSP violation is one) and no uncaught exception.
// Prints "N passed, M failed" (checks) and exits 1 when a check failed, 2 when it could not run.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, serve } from './serveur.mjs';

// The <noscript> note of the form in each theme.
const NOSCRIPT_NOTE = '#catalogue-filtres .filtres__sans-js, #catalogue-filtres .territoires-filtres__sans-js';
const TIMEOUT = 3000; // ms for the page to reflect an action (the search status waits 600 ms)

// ---------------------------------------------------------------- arguments

function usage(message) {
  console.error(`filtres: ${message}\nusage: node filtres.mjs <site dir> --expect-type <type>=<id>,… --expect-search <mots>=<id>,… [--page ingenierie/] [--base-path /path/]`);
  process.exit(2);
}

function expectation(value, option) {
  const i = (value ?? '').indexOf('=');
  if (i <= 0) usage(`${option} needs <value>=<id>,<id>…`);
  const ids = value.slice(i + 1).split(',').map((s) => s.trim()).filter(Boolean).sort();
  return { valeur: value.slice(0, i), ids };
}

function parseArgs(argv) {
  const opts = { dir: null, page: 'ingenierie/', basePath: '/', type: null, search: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--expect-type') opts.type = expectation(argv[++i], a);
    else if (a === '--expect-search') opts.search = expectation(argv[++i], a);
    else if (a === '--page') opts.page = argv[++i];
    else if (a === '--base-path') opts.basePath = argv[++i];
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (opts.dir === null) opts.dir = path.resolve(a);
    else usage(`unexpected argument ${a}`);
  }
  if (opts.dir === null) usage('missing <site dir>');
  if (!fs.statSync(opts.dir, { throwIfNoEntry: false })?.isDirectory()) usage(`not a folder: ${opts.dir}`);
  if (!opts.type) usage('missing --expect-type');
  if (!opts.search) usage('missing --expect-search');
  if (!opts.basePath.startsWith('/')) opts.basePath = '/' + opts.basePath;
  if (!opts.basePath.endsWith('/')) opts.basePath += '/';
  return opts;
}


// ---------------------------------------------------------------- checks

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n       ${detail}`}`);
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// The status the page must show for n matching cards out of total (catalogue.js's wording).
function statusText(n, total) {
  if (n === 0) return `Aucun acteur sur ${total} ne correspond`;
  if (n === 1) return `1 acteur sur ${total} correspond`;
  return `${n} acteurs sur ${total} correspondent`;
}

// Ids of the cards a user sees (not hidden, laid out), sorted; and all card ids.
async function cards(page) {
  return page.$$eval('#catalogue-liste [data-acteur]', (els) => ({
    all: els.map((e) => e.getAttribute('data-acteur')).sort(),
    visible: els.filter((e) => !e.hidden && e.getClientRects().length > 0)
      .map((e) => e.getAttribute('data-acteur')).sort(),
  }));
}

async function status(page) {
  return (await page.locator('#catalogue-statut').textContent() ?? '').trim();
}

// Waits until the page shows the expected cards and status, then reports what it shows.
async function settle(page, ids, text) {
  await page.waitForFunction(([want, wantText]) => {
    const shown = [...document.querySelectorAll('#catalogue-liste [data-acteur]')]
      .filter((e) => !e.hidden && e.getClientRects().length > 0).map((e) => e.getAttribute('data-acteur')).sort();
    const s = (document.getElementById('catalogue-statut')?.textContent ?? '').trim();
    return shown.join(',') === want.join(',') && (wantText === null || s === wantText);
  }, [ids, text], { timeout: TIMEOUT }).catch(() => {});
  return { ...(await cards(page)), status: await status(page), url: new URL(page.url()) };
}

function watchErrors(page, errors) {
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`uncaught exception: ${err.message}`));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const server = await serve(opts.dir, opts.basePath);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const pageUrl = `${origin}${opts.basePath}${opts.page}`;
  const { type, search } = opts;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ colorScheme: 'light', locale: 'fr-FR', serviceWorkers: 'block' });
    await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const errors = [];
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(pageUrl, { waitUntil: 'load' });
    if (!response || response.status() !== 200) throw new Error(`${pageUrl} answered ${response?.status()}`);

    // 1. Everything at first.
    const start = await cards(page);
    const total = start.all.length;
    const allText = statusText(total, total);
    let s = await settle(page, start.all, allText);
    check(`all ${total} cards visible at first`, total > 0 && same(s.visible, s.all), `visible: ${s.visible.join(', ')}`);
    check(`status says "${allText}"`, s.status === allText, `status: "${s.status}"`);
    check('with JavaScript the "filters do not apply" note is not shown', !(await page.locator(NOSCRIPT_NOTE).first().isVisible()));
    for (const id of [...type.ids, ...search.ids]) {
      if (!start.all.includes(id)) check(`expected card ${id} is on the page`, false, `cards: ${start.all.join(', ')}`);
    }

    // 2. The type checkbox, checked with the keyboard.
    const box = page.locator(`#catalogue-filtres input[type="checkbox"][name="type"][value="${type.valeur}"]`);
    const boxes = await box.count();
    check(`one checkbox type=${type.valeur}`, boxes === 1, `${boxes} found`);
    if (boxes !== 1) throw new Error(`no checkbox type=${type.valeur}`);
    const label = await box.evaluate((el) => [...el.labels].map((l) => l.textContent.trim()).join(' '));
    const legend = await box.evaluate((el) => el.closest('fieldset')?.querySelector('legend')?.textContent.trim() ?? '');
    check(`the checkbox has a label ("${label}") in a fieldset with a legend ("${legend}")`, label !== '' && legend !== '');
    await box.focus();
    await page.keyboard.press('Space');
    const typeText = statusText(type.ids.length, total);
    s = await settle(page, type.ids, typeText);
    check(`type=${type.valeur} (Space) is checked`, await box.isChecked());
    check(`type=${type.valeur} shows exactly ${type.ids.join(', ')}`, same(s.visible, type.ids), `visible: ${s.visible.join(', ')}`);
    check(`status says "${typeText}"`, s.status === typeText, `status: "${s.status}"`);
    check(`the URL has type=${type.valeur}`, s.url.searchParams.getAll('type').includes(type.valeur), `url: ${s.url.search}`);
    const filtered = s.url.href;

    // 3. Reloading the URL restores the filter; so does opening it in a new tab.
    await page.reload({ waitUntil: 'load' });
    s = await settle(page, type.ids, typeText);
    check('after a reload the checkbox is still checked', await box.isChecked());
    check(`after a reload exactly ${type.ids.join(', ')} are visible`, same(s.visible, type.ids), `visible: ${s.visible.join(', ')}`);
    check('after a reload the status is restored', s.status === typeText, `status: "${s.status}"`);
    const shared = await context.newPage();
    watchErrors(shared, errors);
    await shared.goto(filtered, { waitUntil: 'load' });
    s = await settle(shared, type.ids, typeText);
    check(`the shared URL (${new URL(filtered).search}) opened in a new tab shows exactly ${type.ids.join(', ')}`,
      same(s.visible, type.ids), `visible: ${s.visible.join(', ')}`);
    await shared.close();

    // 4. Reset (Enter on the button): everything again, clean URL.
    const reset = page.locator('#catalogue-filtres button[type="reset"]');
    check('one reset button', await reset.count() === 1);
    await reset.focus();
    await page.keyboard.press('Enter');
    s = await settle(page, start.all, allText);
    check('reset shows every card again', same(s.visible, start.all), `visible: ${s.visible.join(', ')}`);
    check('reset unchecks the checkbox', !(await box.isChecked()));
    check('reset clears the query string', s.url.search === '', `url: ${s.url.search}`);
    check(`after reset the status says "${allText}"`, s.status === allText, `status: "${s.status}"`);

    // 5. Typing in the search field.
    const field = page.locator('#catalogue-filtres input[name="q"]');
    const fieldLabel = await field.evaluate((el) => [...el.labels].map((l) => l.textContent.trim()).join(' '));
    check(`the search field has a label ("${fieldLabel.replace(/\s+/g, ' ')}")`, fieldLabel !== '');
    await field.focus();
    await page.keyboard.type(search.valeur, { delay: 20 });
    const searchText = statusText(search.ids.length, total);
    s = await settle(page, search.ids, searchText);
    check(`search "${search.valeur}" shows exactly ${search.ids.join(', ')}`, same(s.visible, search.ids), `visible: ${s.visible.join(', ')}`);
    check(`status says "${searchText}"`, s.status === searchText, `status: "${s.status}"`);
    check(`the URL has q=${search.valeur}`, s.url.searchParams.get('q') === search.valeur, `url: ${s.url.search}`);
    await reset.focus();
    await page.keyboard.press('Enter');
    s = await settle(page, start.all, allText);
    check('reset after a search shows every card, empties the field and the query string',
      same(s.visible, start.all) && (await field.inputValue()) === '' && s.url.search === '',
      `visible: ${s.visible.join(', ')}; field: "${await field.inputValue()}"; url: ${s.url.search}`);

    check('no console error or uncaught exception', errors.length === 0, errors.join('\n       '));
    await page.close();
    await context.close();

    // 6. Without JavaScript: every card, whatever the query string.
    const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', serviceWorkers: 'block' });
    await noJs.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const plain = await noJs.newPage();
    await plain.goto(filtered, { waitUntil: 'load' });
    const c = await cards(plain);
    check(`without JavaScript all ${c.all.length} cards are visible (even with ${new URL(filtered).search})`,
      c.all.length === total && same(c.visible, c.all), `visible: ${c.visible.join(', ')}`);
    const note = await plain.locator(NOSCRIPT_NOTE).first().isVisible().catch(() => false);
    check('without JavaScript the form says the filters do not apply', note);
    await noJs.close();
  } catch (err) {
    check(`could not run: ${err.message.split('\n')[0]}`, false);
  } finally {
    if (browser) await browser.close();
    server.close();
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(`filtres: ${err.stack || err}`);
  process.exit(2);
});
