#!/usr/bin/env node
// browser.mjs — the server's two pages in a real (headless) Chromium, used as
// a person would use them.
//
// Usage: node tests/js/browser.mjs <baseUrl>        e.g. http://127.0.0.1:8000
//        SCREENSHOT_DIR=/tmp/shots node tests/js/browser.mjs <baseUrl>
// Needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium);
// playwright-core drives it and downloads no browser of its own.
//
// Checks:
//   a. GET /  (GraphiQL): it renders; the editor opens on the example query
//      (commanders); running it shows 薛岳 and 第106师团 in the results (the
//      example walks from a commander to his battles to the forces there);
//      the docs explorer opens and shows the Query type.
//   b. GET /timeline: the SVG draws the 30 battles (.battle[data-ordinal]);
//      clicking battle 8 shows 武汉会战 / Battle of Wuhan in #details; clicking
//      薛岳 there highlights exactly his two battles, 8 and 11.
//   c. Neither page makes a request outside the server's origin (the pages
//      must work offline, with nothing from a CDN), logs a console error or
//      throws an uncaught exception.
// Why: the Rust tests see the HTML, never whether the JavaScript in it runs;
// this is the only test that the pages actually work in a browser.
//
// A request to another origin is recorded and then aborted, so the test never
// sends traffic off this machine. Screenshots go to $SCREENSHOT_DIR when set.
//
// Closing line: `N passed, M failed`; exit code 1 on any failure.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 30_000;
const CHROMIUM = '/usr/bin/chromium';
// Tall enough that GraphiQL's Monaco editors render every line of the example's
// result (about 80 lines): Monaco puts only the visible lines in the DOM.
const VIEWPORT = { width: 1400, height: 2000 };

const results = [];

function record(name, ok, details = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  // Playwright's call logs carry terminal colour codes: strip them.
  if (!ok && details) console.log(String(details).replace(/\x1b\[[0-9;]*m/g, '').replace(/^/gm, '    '));
}

/**
 * Runs named steps in order; once one fails, the rest are reported as not
 * run (they depend on it) instead of each waiting for its own timeout.
 */
async function runSteps(steps) {
  let blockedBy = null;
  for (const [name, fn] of steps) {
    if (blockedBy) {
      record(name, false, `not run: "${blockedBy}" failed`);
      continue;
    }
    try {
      await fn();
      record(name, true);
    } catch (err) {
      record(name, false, err?.message ?? String(err));
      blockedBy = name;
    }
  }
}

function parseArgs(argv) {
  const baseUrl = argv[2];
  if (!baseUrl) {
    console.error('usage: node browser.mjs <baseUrl>');
    process.exit(2);
  }
  return baseUrl.replace(/\/+$/, '');
}

/** Whether a request stays on the server's origin (data: and blob: URLs are local too). */
function isLocal(url, baseUrl) {
  return url === baseUrl || url.startsWith(`${baseUrl}/`) || url.startsWith('data:') || url.startsWith('blob:');
}

/**
 * A page whose requests, console errors and uncaught exceptions are recorded
 * in `log`; requests leaving the origin are recorded, then aborted.
 */
async function openPage(context, baseUrl, log) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.setDefaultNavigationTimeout(TIMEOUT_MS);
  page.on('request', (req) => log.requests.push(req.url()));
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.consoleErrors.push(`${msg.text()} (${msg.location()?.url ?? '?'})`);
  });
  page.on('pageerror', (err) => log.pageErrors.push(err.stack ?? err.message));
  return page;
}

/** Waits until the text of `selector` contains every one of `needles`; the error tells what it held. */
async function waitForText(page, selector, needles) {
  try {
    await page.waitForFunction(
      ({ selector, needles }) => {
        const el = document.querySelector(selector);
        // Monaco renders spaces as U+00A0.
        const text = (el?.innerText ?? el?.textContent ?? '').replace(/\u00a0/g, ' ');
        return needles.every((n) => text.includes(n));
      },
      { selector, needles },
      { timeout: TIMEOUT_MS },
    );
  } catch {
    const text = await page
      .locator(selector)
      .first()
      .innerText({ timeout: 1000 })
      .catch(() => '(element not found)');
    throw new Error(`${selector} never contained ${needles.join(' and ')}; it holds:\n${text.slice(0, 1500)}`);
  }
}

/** Navigates and fails at once (not after a selector's timeout) on an HTTP error. */
async function goto(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    throw new Error(`GET ${url} answered ${response ? response.status() : 'nothing'}`);
  }
}

async function screenshot(page, name) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await page.screenshot({ path, fullPage: true, timeout: TIMEOUT_MS });
    console.log(`screenshot: ${path}`);
  } catch (err) {
    console.log(`screenshot of ${name} failed: ${err.message}`);
  }
}

// ---- a. the GraphiQL playground ------------------------------------------

async function checkPlayground(page, baseUrl) {
  await runSteps([
    ['playground: GraphiQL renders at /', async () => {
      await goto(page, `${baseUrl}/`);
      await page.locator('.graphiql-container').first().waitFor({ state: 'visible' });
    }],
    ['playground: the editor holds the example query (commanders)', async () => {
      await waitForText(page, '.graphiql-query-editor', ['commanders']);
    }],
    ['playground: running the example shows 薛岳 and 第106师团', async () => {
      await executeButton(page).click();
      await waitForText(page, '.graphiql-response', ['薛岳', '第106师团']);
    }],
    ['playground: the docs explorer opens and shows Query', async () => {
      await docsButton(page).click();
      await waitForText(page, '.graphiql-doc-explorer', ['Query']);
    }],
  ]);
}

function executeButton(page) {
  return page.locator('.graphiql-execute-button, button[aria-label*="Execute"]').first();
}

function docsButton(page) {
  // The explorer's own <section> is labelled "Documentation Explorer" too: ask for the button.
  return page.locator('.graphiql-sidebar button[aria-label*="Documentation"], button[aria-label*="Documentation"]').first();
}

// ---- b. the timeline -------------------------------------------------------

async function checkTimeline(page, baseUrl) {
  await runSteps([
    ['timeline: /timeline draws svg .battle elements', async () => {
      await goto(page, `${baseUrl}/timeline`);
      await page.locator('svg .battle').first().waitFor({ state: 'attached' });
    }],
    ['timeline: exactly 30 battles (svg .battle[data-ordinal])', async () => {
      const count = await page.locator('svg .battle[data-ordinal]').count();
      if (count !== 30) throw new Error(`found ${count}`);
    }],
    ['timeline: clicking battle 8 shows 武汉会战 / Battle of Wuhan in #details', async () => {
      await page.locator('svg .battle[data-ordinal="8"]').first().click();
      await waitForText(page, '#details', ['武汉会战', 'Battle of Wuhan']);
    }],
    ['timeline: clicking 薛岳 highlights exactly battles 8 and 11', async () => {
      await page.locator('#details .commander', { hasText: '薛岳' }).first().click();
      await waitForHighlighted(page, ['11', '8']);
    }],
  ]);
}

/** Waits until the highlighted battles are exactly `ordinals` (sorted as strings). */
async function waitForHighlighted(page, ordinals) {
  const highlighted = () =>
    page.$$eval('.battle.highlight', (els) => els.map((el) => el.getAttribute('data-ordinal')).sort());
  const want = JSON.stringify([...ordinals].sort());
  const deadline = Date.now() + TIMEOUT_MS;
  let got = [];
  while (Date.now() < deadline) {
    got = await highlighted();
    if (JSON.stringify(got) === want) {
      // Let the page settle, then make sure nothing more lit up.
      await page.waitForTimeout(300);
      got = await highlighted();
      if (JSON.stringify(got) === want) return;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`.battle.highlight data-ordinals are ${JSON.stringify(got)}, want ${want}`);
}

// ---- c. nothing from elsewhere, no errors ----------------------------------

function checkLog(label, log, baseUrl) {
  const foreign = log.requests.filter((url) => !isLocal(url, baseUrl));
  record(`${label}: every request stays on ${baseUrl} (${log.requests.length} requests)`,
    foreign.length === 0, [...new Set(foreign)].join('\n'));
  record(`${label}: no console errors`, log.consoleErrors.length === 0, log.consoleErrors.join('\n'));
  record(`${label}: no page errors`, log.pageErrors.length === 0, log.pageErrors.join('\n'));
}

// ---- main ------------------------------------------------------------------

function newLog() {
  return { requests: [], consoleErrors: [], pageErrors: [] };
}

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: TIMEOUT_MS,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

/** A fresh context that aborts every request leaving the origin (after the page has recorded it). */
async function newContext(browser, baseUrl) {
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  await context.route(
    (url) => !isLocal(url.href, baseUrl),
    (route) => route.abort('blockedbyclient'),
  );
  return context;
}

async function main() {
  const baseUrl = parseArgs(process.argv);
  console.log(`Browser checks of ${baseUrl} with ${CHROMIUM}`);

  let browser;
  try {
    browser = await launch();
  } catch (err) {
    record('chromium starts', false, err.message);
    console.log(`0 passed, ${results.filter((r) => !r.ok).length} failed`);
    process.exitCode = 1;
    return;
  }

  try {
    const context = await newContext(browser, baseUrl);

    const playgroundLog = newLog();
    const playground = await openPage(context, baseUrl, playgroundLog);
    await checkPlayground(playground, baseUrl);
    await screenshot(playground, 'playground');

    const timelineLog = newLog();
    const timeline = await openPage(context, baseUrl, timelineLog);
    await checkTimeline(timeline, baseUrl);
    await screenshot(timeline, 'timeline');

    checkLog('playground', playgroundLog, baseUrl);
    checkLog('timeline', timelineLog, baseUrl);
    await context.close();
  } finally {
    await browser.close();
  }

  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
