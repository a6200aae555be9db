#!/usr/bin/env node
// Browser checks of a built territoires site, in headless Debian Chromium.
//
//   node check-site.mjs <site dir> [--max-per-type N] [--include page.html]… [--base-path /sous-dossier/] [--jobs N] [--no-vnu]
//
// For every *.html page of the folder (or the first N of each page type):
//   - every request goes to the local server only, and none is answered 404;
//   - no console error (a Content-Security-Policy violation is one) and no uncaught exception;
//   - the DSFR JavaScript has started (data-fr-js on <html>), so it runs under the CSP;
//   - every internal <a href>, <link href>, <script src>, <img src> resolves to a file of the folder,
//     and every same-page #fragment to an element;
//   - axe-core finds no WCAG 2.0/2.1 A/AA violation (best-practice findings are printed as info);
//   - the Nu Html Checker (vnu) finds no error.
// The first page of each type is also opened at a phone width, where the main menu button is
// pressed (it must open its modal), and a missing URL must be answered 404 with the site's 404.html.
// Prints "N passed, M failed" (pages) and exits 1 when anything failed, 2 when it could not run.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, fileFor, serve } from './serveur.mjs';

const require = createRequire(import.meta.url);
const axe = require('axe-core');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const VNU_JAR = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = { dir: null, maxPerType: Infinity, basePath: '/', vnu: true, jobs: 2, include: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--max-per-type') opts.maxPerType = Number(argv[++i]);
    else if (a === '--base-path') opts.basePath = argv[++i];
    else if (a === '--no-vnu') opts.vnu = false;
    else if (a === '--include') opts.include.push(argv[++i]);
    else if (a === '--jobs') opts.jobs = Number(argv[++i]);
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (opts.dir === null) opts.dir = path.resolve(a);
    else usage(`unexpected argument ${a}`);
  }
  if (opts.dir === null) usage('missing <site dir>');
  if (!fs.statSync(opts.dir, { throwIfNoEntry: false })?.isDirectory()) usage(`not a folder: ${opts.dir}`);
  if (!(opts.maxPerType >= 1)) usage('--max-per-type needs a number >= 1');
  if (!(Number.isInteger(opts.jobs) && opts.jobs >= 1)) usage('--jobs needs a whole number >= 1');
  if (!opts.basePath.startsWith('/')) opts.basePath = '/' + opts.basePath;
  if (!opts.basePath.endsWith('/')) opts.basePath += '/';
  return opts;
}

function usage(message) {
  console.error(`check-site: ${message}\nusage: node check-site.mjs <site dir> [--max-per-type N] [--base-path /path/] [--jobs N] [--no-vnu]`);
  process.exit(2);
}

// ---------------------------------------------------------------- the site's files

function listHtml(dir, rel = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listHtml(dir, r));
    else if (entry.isFile() && entry.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

// "crte/lozere/index.html" and "crte/ternois/index.html" are one type, "crte/*";
// a page at the first level ("donnees/index.html") or a named file ("404.html") is its own type.
function pageType(rel) {
  const parts = rel.split('/');
  if (parts[parts.length - 1] !== 'index.html' || parts.length <= 2) return rel;
  return parts.slice(0, -2).join('/') + '/*';
}

// The file a URL path names, or null (never outside the folder).

// ---------------------------------------------------------------- one page in the browser

// Opens `url` in a new page and returns the list of problems found (strings).
async function checkPage(context, url, { root, basePath, origin, expectStatus, viewport, pressMenu }) {
  const problems = [];
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('console', (msg) => {
    // A resource answered 404 or blocked is reported once, by the request listeners below.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('request', (req) => {
    const u = new URL(req.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.origin !== origin) {
      problems.push(`request to another host: ${req.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (new URL(req.url()).origin === origin) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    const isDocument = res.request().isNavigationRequest() && res.request().frame() === page.mainFrame();
    if (isDocument) return;
    if (new URL(res.url()).origin === origin && res.status() >= 400) problems.push(`broken asset: ${res.url()} answered ${res.status()}`);
  });

  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
    if (response.status() !== expectStatus) problems.push(`status ${response.status()}, expected ${expectStatus}`);
    // The DSFR script sets data-fr-js="true" on <html> once it runs.
    const usesDsfrJs = await page.locator('script[src*="dsfr"]').count();
    if (usesDsfrJs) {
      try {
        await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-js') === 'true', null, { timeout: 5000 });
      } catch { problems.push('the DSFR JavaScript did not start (no data-fr-js on <html>)'); }
    }
    await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});

    // Links and assets that point into the site.
    const refs = await page.$$eval('a[href], link[href], script[src], img[src], source[src], iframe[src]', (els) => els.map((el) => ({
      tag: el.tagName.toLowerCase(),
      raw: el.getAttribute('href') ?? el.getAttribute('src'),
      // SVG links (the map) have no string `href` property: resolve their attribute.
      abs: new URL(el.getAttribute('href') ?? el.getAttribute('src'), document.baseURI).href,
      sameDocFragment: el.tagName.toUpperCase() === 'A' && (el.getAttribute('href') || '').startsWith('#'),
      fragmentFound: (() => {
        const h = el.getAttribute('href') || '';
        if (el.tagName.toUpperCase() !== 'A' || !h.startsWith('#') || h === '#') return true;
        try { return document.getElementById(decodeURIComponent(h.slice(1))) !== null; } catch { return false; }
      })(),
    })));
    for (const ref of refs) {
      if (ref.sameDocFragment) {
        if (!ref.fragmentFound) problems.push(`link to a missing anchor: <a href="${ref.raw}">`);
        continue;
      }
      let u;
      try { u = new URL(ref.abs); } catch { problems.push(`malformed URL in <${ref.tag}>: ${ref.raw}`); continue; }
      if (u.origin !== origin) continue; // mailto:, external pages (a link is not a request), canonical URL
      if (!fileFor(root, u.pathname, basePath)) problems.push(`broken internal link in <${ref.tag}>: ${ref.raw} (${u.pathname})`);
    }

    // axe-core, injected through the DevTools protocol (not a <script>, which the CSP would block).
    await page.evaluate(axe.source);
    const results = await page.evaluate((tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: [...tags, 'best-practice'] },
      resultTypes: ['violations'],
    }), WCAG_TAGS);
    for (const v of results.violations) {
      const wcag = v.tags.some((t) => WCAG_TAGS.includes(t));
      const targets = v.nodes.map((n) => n.target.join(' ')).join(' | ');
      const line = `axe ${v.id} (${v.impact}): ${v.help} — ${targets}`;
      if (wcag) problems.push(line); else console.log(`  info ${url}: ${line}`);
    }

    // On a phone, the text drawn in charts and maps stays readable: no visible SVG text under
    // about 9 px (a box under 11 px high).
    if (pressMenu) {
      const tiny = await page.$$eval('svg text', (els) => els
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => ({ text: e.textContent.trim(), h: e.getBoundingClientRect().height }))
        .filter((x) => x.text && x.h < 11));
      for (const x of tiny.slice(0, 5)) problems.push(`text too small on a phone (${x.h.toFixed(1)} px): « ${x.text} »`);
    }

    // The DSFR display settings (« Paramètres d'affichage », in the footer): the dark theme
    // applies, and passes axe too.
    if (pressMenu) {
      const settings = page.locator('.fr-footer button[aria-controls="fr-theme-modal"]');
      if (await settings.count()) {
        await settings.click();
        try {
          await page.waitForFunction(() => document.getElementById('fr-theme-modal')?.classList.contains('fr-modal--opened'), null, { timeout: 5000 });
          await page.locator('label[for="fr-radios-theme-dark"]').click();
          await page.waitForFunction(() => document.documentElement.getAttribute('data-fr-theme') === 'dark', null, { timeout: 5000 });
          await page.locator('#fr-theme-modal .fr-btn--close').click();
          // Closed, and its fade-out over (axe would read the fading text's contrast).
          await page.waitForFunction(() => !document.getElementById('fr-theme-modal')?.checkVisibility({ opacityProperty: true, visibilityProperty: true }), null, { timeout: 5000 });
          const dark = await page.evaluate((tags) => window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          }), WCAG_TAGS);
          for (const v of dark.violations) {
            problems.push(`[thème sombre] axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
          }
        } catch (e) {
          problems.push(`the display settings did not switch to the dark theme: ${e.message.split('\n')[0]}`);
        } finally {
          await page.evaluate(() => localStorage.clear());
        }
      }
    }
    if (pressMenu) {
      const button = page.locator('.fr-header__navbar .fr-btn--menu');
      if (await button.count() && await button.isVisible()) {
        const modalId = await button.getAttribute('aria-controls');
        await button.click();
        try {
          await page.waitForFunction((id) => document.getElementById(id)?.classList.contains('fr-modal--opened'), modalId, { timeout: 5000 });
        } catch { problems.push(`the menu button did not open #${modalId}`); }
        await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
      }
    }
  } catch (err) {
    problems.push(`could not check the page: ${err.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
  return [...new Set(problems)];
}

// ---------------------------------------------------------------- Nu Html Checker

// Returns a Map file -> [error lines] for the given files.
function runVnu(files) {
  const errors = new Map();
  if (files.length === 0) return errors;
  const run = spawnSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'gnu', '--skip-non-html', ...files],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new Error(`could not run the Nu Html Checker: ${run.error.message}`);
  const output = `${run.stdout}${run.stderr}`;
  for (const line of output.split('\n').filter(Boolean)) {
    const m = line.match(/^"?(.*?\.html)"?:(\d.*)$/);
    const file = m ? path.resolve(m[1].replace(/^file:/, '')) : null;
    const key = file && files.includes(file) ? file : '(vnu)';
    if (!errors.has(key)) errors.set(key, []);
    errors.get(key).push(m ? `vnu ${m[2]}` : `vnu ${line}`);
  }
  if (run.status !== 0 && errors.size === 0) errors.set('(vnu)', [`vnu exited with ${run.status}`]);
  return errors;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const all = listHtml(opts.dir);
  const perType = new Map();
  const pages = all.filter((rel) => {
    const type = pageType(rel);
    const n = perType.get(type) || 0;
    perType.set(type, n + 1);
    return n < opts.maxPerType || opts.include.includes(rel);
  });
  for (const rel of opts.include) if (!all.includes(rel)) usage(`--include: no page ${rel}`);
  console.log(`check-site: ${pages.length} of ${all.length} pages in ${opts.dir} (${perType.size} types)`);

  const server = await serve(opts.dir, opts.basePath);
  const origin = `http://127.0.0.1:${server.address().port}`;
  let browser;
  const results = new Map(pages.map((rel) => [rel, []]));
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ colorScheme: 'light', locale: 'fr-FR', serviceWorkers: 'block' });
    // Nothing leaves the machine: requests to other hosts are recorded by the page, then aborted here.
    await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const common = { root: opts.dir, basePath: opts.basePath, origin, expectStatus: 200 };
    const firstOfType = new Set();
    const queue = [...pages];
    const worker = async () => {
      for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
        const type = pageType(rel);
        const url = `${origin}${opts.basePath}${rel.replace(/(^|\/)index\.html$/, '$1')}`;
        const problems = await checkPage(context, url, { ...common, viewport: DESKTOP, pressMenu: false });
        if (!firstOfType.has(type)) {
          firstOfType.add(type);
          // At a phone width, report only what the desktop pass did not already find.
          for (const p of await checkPage(context, url, { ...common, viewport: PHONE, pressMenu: true })) {
            if (!problems.includes(p)) problems.push(`[phone] ${p}`);
          }
        }
        results.get(rel).push(...problems);
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${rel}`);
      }
    };
    await Promise.all(Array.from({ length: opts.jobs }, worker));
    if (fs.existsSync(path.join(opts.dir, '404.html'))) {
      const rel = '(missing URL answered by 404.html)';
      const url = `${origin}${opts.basePath}ce/chemin/n-existe/pas/`;
      const problems = await checkPage(context, url, { ...common, expectStatus: 404, viewport: DESKTOP, pressMenu: false });
      results.set(rel, problems);
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${rel}`);
    }
  } finally {
    if (browser) await browser.close();
    server.close();
  }

  if (opts.vnu) {
    const files = pages.map((rel) => path.join(opts.dir, rel));
    for (const [file, errs] of runVnu(files)) {
      const rel = file === '(vnu)' ? file : path.relative(opts.dir, file).split(path.sep).join('/');
      if (!results.has(rel)) results.set(rel, []);
      results.get(rel).push(...errs);
    }
  }

  let passed = 0;
  let failed = 0;
  for (const [rel, problems] of [...results].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (problems.length === 0) { passed++; continue; }
    failed++;
    console.log(`\n${rel}`);
    for (const p of problems) console.log(`  ${p}`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(`check-site: ${err.stack || err}`);
  process.exit(2);
});
