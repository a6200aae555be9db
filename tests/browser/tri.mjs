#!/usr/bin/env node
// Browser test of the sortable tables (static/tri.js), in headless Debian Chromium.
//
//   node tri.mjs <site dir> [--base-path /territoires/] --page departements/ --column <header text>
//                [--filter <text>=<rows>]
//
// With the keyboard only (Tab to the column's button, Enter): the rows are sorted by that
// column, ascending then descending, and the header says so (aria-sort); figures compare as
// numbers. With --filter, typing the text in the table's filter field leaves that many rows, and
// the status says so. Prints "N passed, M failed" and exits 1 when a check failed, 2 when it
// could not run.

import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, serve } from './serveur.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const dir = args[0];
const basePath = option('--base-path', '/');
const pagePath = option('--page', null);
const column = option('--column', null);
const filter = option('--filter', null);
if (!dir || !pagePath || !column) { console.error('usage: tri.mjs <dir> --page P --column C'); process.exit(2); }

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n       ${detail}`}`);
}

const server = await serve(dir, basePath);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}${basePath}${pagePath}`);
  const index = await page.$$eval('table[data-triable] thead th', (ths, c) => ths.findIndex((th) => th.textContent.trim() === c), column);
  check(`the table has a sortable column « ${column} »`, index >= 0);
  const values = () => page.$$eval('table[data-triable] tbody tr', (rows, i) => rows.map((r) => r.cells[i].textContent.trim()), index);
  let reached = false;
  for (let i = 0; i < 200 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((c) => document.activeElement?.tagName === 'BUTTON' && document.activeElement.closest('th')?.textContent.trim() === c, column);
  }
  check('Tab reaches the column button', reached);
  for (const [order, compare] of [['ascending', (a, b) => a - b], ['descending', (a, b) => b - a]]) {
    await page.keyboard.press('Enter');
    const v = (await values()).map(Number);
    const sorted = [...v].sort(compare);
    const sort = await page.$eval(`table[data-triable] thead th:nth-child(${index + 1})`, (th) => th.getAttribute('aria-sort'));
    check(`Enter sorts ${order}`, v.length > 1 && v.every((x, i) => x === sorted[i]) && sort === order, `${sort}: ${v.join(' ')}`);
  }
  if (filter) {
    const at = filter.lastIndexOf('=');
    const [text, rows] = [filter.slice(0, at), Number(filter.slice(at + 1))];
    await page.fill('.territoires-filtre-tableau input', text);
    const shown = await page.$$eval('table[data-triable] tbody tr', (trs) => trs.filter((tr) => !tr.hidden).length);
    const total = await page.$$eval('table[data-triable] tbody tr', (trs) => trs.length);
    const status = (await page.locator('.territoires-filtre-tableau [role="status"]').textContent()).trim();
    const expected = `${rows} ${rows > 1 ? 'lignes' : 'ligne'} sur ${total}`;
    check(`typing « ${text} » leaves ${rows} rows`, shown === rows && status === expected, `${shown} rows, status « ${status} »`);
  }
  check('no uncaught exception', errors.length === 0, errors.join(' | '));
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
