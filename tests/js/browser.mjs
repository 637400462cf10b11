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
//      (the README's examples open as tabs; the aggregate tab runs)
//      (commanders); running it shows 薛岳 and 第106师团 in the results (the
//      example walks from a commander to his battles to the forces there);
//      the docs explorer opens and shows the Query type.
//   b. GET /timeline, at common window sizes (TIMELINE_VIEWPORTS: laptops,
//      desktops, a phone, and the tall 1400x2000 window): the SVG draws the
//      30 battles (.battle[data-ordinal]); clicking battle 8 shows 武汉会战 /
//      Battle of Wuhan in #details, and the panel is in view; clicking 薛岳
//      there highlights exactly his two battles, 8 and 11, and his summary
//      (#highlight-status) and at least one highlighted bar are in view.
//      "In view" is measured once scrolling has settled: getBoundingClientRect
//      against window.innerWidth/innerHeight (and the chart's own sideways
//      scroll box), and elementFromPoint, so nothing sticky covers it.
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
// The timeline is checked in each of these windows: what fits in 2000 px
// says nothing about a 768 px laptop screen.
const TIMELINE_VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844, isMobile: true, hasTouch: true }, // a phone
  VIEWPORT,
];

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

/** The server's URL, and optionally one of a server with introspection off. */
function parseArgs(argv) {
  const [baseUrl, closedUrl] = argv.slice(2);
  if (!baseUrl) {
    console.error('usage: node browser.mjs <baseUrl> [<baseUrl with introspection off>]');
    process.exit(2);
  }
  return [baseUrl.replace(/\/+$/, ''), closedUrl && closedUrl.replace(/\/+$/, '')];
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

/** Saves `<name>.png` (the whole page, or with fullPage false what the window shows). */
async function screenshot(page, name, { fullPage = true } = {}) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await page.screenshot({ path, fullPage, timeout: TIMEOUT_MS });
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
    ['playground: the examples open as tabs; the aggregate one sums by phase', async () => {
      const tabs = page.locator('.graphiql-tab-button');
      await tabs.nth(3).waitFor({ state: 'visible' });
      await tabs.nth(3).click();
      await waitForText(page, '.graphiql-query-editor', ['ChinaCasualtiesByPhase']);
      await executeButton(page).click();
      await waitForText(page, '.graphiql-response', ['抗战初期', '"counted"', '"missing"']);
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

// With introspection off GraphiQL has no docs: the page says why (the
// server's INTROSPECTION_DISABLED message, in the response pane), and
// queries still run.
async function checkPlaygroundWithoutIntrospection(page, closedUrl) {
  await runSteps([
    ['playground, introspection off: the page says why there are no docs', async () => {
      await goto(page, `${closedUrl}/`);
      await waitForText(page, '.graphiql-response', ['introspection is turned off', 'queries still run']);
    }],
    ['playground, introspection off: the example query still runs', async () => {
      await executeButton(page).click();
      await waitForText(page, '.graphiql-response', ['薛岳', '第106师团']);
    }],
  ]);
}

// ---- b. the timeline -------------------------------------------------------

/** `label` names the window size in every check, e.g. "timeline 1366x768". */
async function checkTimeline(page, baseUrl, label) {
  const shot = label.replace(/ /g, '-');
  await runSteps([
    [`${label}: /timeline draws svg .battle elements`, async () => {
      await goto(page, `${baseUrl}/timeline`);
      await page.locator('svg .battle').first().waitFor({ state: 'attached' });
    }],
    [`${label}: exactly 30 battles (svg .battle[data-ordinal])`, async () => {
      const count = await page.locator('svg .battle[data-ordinal]').count();
      if (count !== 30) throw new Error(`found ${count}`);
    }],
    [`${label}: clicking battle 8 shows 武汉会战 / Battle of Wuhan in #details`, async () => {
      await page.locator('svg .battle[data-ordinal="8"]').first().click();
      await waitForText(page, '#details', ['武汉会战', 'Battle of Wuhan']);
    }],
    [`${label}: battle 8's details are in view`, async () => {
      await waitForScrollToSettle(page);
      await screenshot(page, `${shot}-battle`, { fullPage: false });
      await assertDetailsInView(page);
    }],
    [`${label}: clicking 薛岳 highlights exactly battles 8 and 11`, async () => {
      await page.locator('#details .commander', { hasText: '薛岳' }).first().click();
      await waitForHighlighted(page, ['11', '8']);
    }],
    [`${label}: 薛岳's summary and a highlighted battle are in view`, async () => {
      await waitForScrollToSettle(page);
      await screenshot(page, `${shot}-commander`, { fullPage: false });
      await assertHighlightInView(page);
    }],
  ]);
}

/**
 * Waits until neither the window nor the chart (which scrolls sideways on
 * narrow screens) has moved for 15 animation frames in a row, so that smooth
 * scrolling has finished before anything is measured.
 */
async function waitForScrollToSettle(page) {
  await page.evaluate(
    (timeoutMs) =>
      new Promise((resolve, reject) => {
        const chart = document.getElementById('chart');
        const position = () => `${window.scrollX},${window.scrollY},${chart?.scrollLeft},${chart?.scrollTop}`;
        const deadline = performance.now() + timeoutMs;
        let last = position();
        let still = 0;
        const tick = () => {
          const now = position();
          still = now === last ? still + 1 : 0;
          last = now;
          if (still >= 15) resolve();
          else if (performance.now() > deadline) reject(new Error(`still scrolling after ${timeoutMs} ms (at ${now})`));
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    10_000,
  );
}

/**
 * Runs in the page: where `el` is, and what in it the window shows. `fully`:
 * the box lies inside the window (and inside `clip`, the chart's scroll box,
 * when given); `covered`: what is on top at its centre, when that is not `el`
 * or inside it (a sticky bar over it, say).
 */
const GEOMETRY_HELPERS = `
  window.__kzBox = (el, clip) => {
    const r = el.getBoundingClientRect();
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    let c = { top: 0, left: 0, bottom: vh, right: vw };
    if (clip) {
      const k = clip.getBoundingClientRect();
      c = { top: Math.max(0, k.top), left: Math.max(0, k.left), bottom: Math.min(vh, k.bottom), right: Math.min(vw, k.right) };
    }
    const e = 0.5; // sub-pixel rounding
    const fully = r.width > 0 && r.height > 0 && r.top >= c.top - e && r.left >= c.left - e && r.bottom <= c.bottom + e && r.right <= c.right + e;
    const visibleHeight = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    const cx = Math.min(Math.max((r.left + r.right) / 2, 0), vw - 1);
    const cy = Math.min(Math.max((r.top + r.bottom) / 2, 0), vh - 1);
    const hit = document.elementFromPoint(cx, cy);
    const on = hit && (hit === el || el.contains(hit));
    const name = (n) => (n ? n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.getAttribute('class') ? '.' + n.getAttribute('class').split(' ').join('.') : '') : 'nothing');
    return {
      fully,
      visibleHeight,
      height: r.height,
      covered: on ? null : name(hit),
      text: 'top ' + Math.round(r.top) + ', bottom ' + Math.round(r.bottom) + ', left ' + Math.round(r.left) + ', right ' + Math.round(r.right) +
        ' in a ' + vw + 'x' + vh + ' window' + (clip ? ' (clipped to top ' + Math.round(c.top) + ', bottom ' + Math.round(c.bottom) + ', left ' + Math.round(c.left) + ', right ' + Math.round(c.right) + ')' : ''),
    };
  };
`;

/**
 * The details panel is in view: its heading is wholly in the window and not
 * covered, and the window shows the whole panel or, when it is taller than
 * that, at least 60% of the window's height of it.
 */
async function assertDetailsInView(page) {
  await page.evaluate(GEOMETRY_HELPERS);
  const got = await page.evaluate(() => {
    const panel = document.getElementById('details');
    const heading = panel.querySelector('h2');
    if (!heading) return { error: '#details has no h2' };
    return { panel: window.__kzBox(panel), heading: window.__kzBox(heading), vh: window.innerHeight };
  });
  if (got.error) throw new Error(got.error);
  const problems = [];
  if (!got.heading.fully) problems.push(`the heading is not wholly in view: ${got.heading.text}`);
  if (got.heading.covered) problems.push(`the heading is covered by ${got.heading.covered}`);
  const want = Math.min(got.panel.height, 0.6 * got.vh);
  if (got.panel.visibleHeight + 0.5 < want) {
    problems.push(`only ${Math.round(got.panel.visibleHeight)} px of the ${Math.round(got.panel.height)} px panel are in view, want ${Math.round(want)}: ${got.panel.text}`);
  }
  if (problems.length) throw new Error(`#details: ${problems.join('; ')}`);
}

/**
 * After a commander was clicked: #highlight-status (his battles) is wholly in
 * view and not covered, and so is the bar of at least one highlighted battle
 * (inside the chart's sideways scroll box too).
 */
async function assertHighlightInView(page) {
  await page.evaluate(GEOMETRY_HELPERS);
  const got = await page.evaluate(() => {
    const summary = document.getElementById('highlight-status');
    const chart = document.getElementById('chart');
    const bars = [...document.querySelectorAll('.battle.highlight')].map((battle) => {
      const bar = battle.querySelector('.bar') ?? battle;
      const box = window.__kzBox(bar, chart);
      // What covers the bar, if anything, must be the battle itself (its hit area, label).
      const r = bar.getBoundingClientRect();
      const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      return { ordinal: battle.getAttribute('data-ordinal'), ...box, covered: hit && battle.contains(hit) ? null : box.covered };
    });
    return { hidden: summary.hidden, summary: window.__kzBox(summary), bars };
  });
  const problems = [];
  if (got.hidden) problems.push('#highlight-status is hidden');
  else if (!got.summary.fully) problems.push(`#highlight-status is not wholly in view: ${got.summary.text}`);
  else if (got.summary.covered) problems.push(`#highlight-status is covered by ${got.summary.covered}`);
  if (!got.bars.some((b) => b.fully && !b.covered)) {
    const each = got.bars.map((b) => `battle ${b.ordinal}: ${b.text}${b.fully && b.covered ? `, covered by ${b.covered}` : ''}`);
    problems.push(`no highlighted battle is in view (${each.join('; ') || 'none highlighted'})`);
  }
  if (problems.length) throw new Error(problems.join('; '));
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
async function newContext(browser, baseUrl, viewport = VIEWPORT) {
  const { width, height, ...device } = viewport; // isMobile, hasTouch
  const context = await browser.newContext({ viewport: { width, height }, ...device, serviceWorkers: 'block' });
  await context.route(
    (url) => !isLocal(url.href, baseUrl),
    (route) => route.abort('blockedbyclient'),
  );
  return context;
}

async function main() {
  const [baseUrl, closedUrl] = parseArgs(process.argv);
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

    checkLog('playground', playgroundLog, baseUrl);
    await context.close();

    if (closedUrl) {
      const closedContext = await newContext(browser, closedUrl);
      const closed = await openPage(closedContext, closedUrl, newLog());
      await checkPlaygroundWithoutIntrospection(closed, closedUrl);
      await closedContext.close();
    }

    // The timeline, in a fresh context per window size.
    for (const viewport of TIMELINE_VIEWPORTS) {
      const label = `timeline ${viewport.width}x${viewport.height}`;
      const timelineContext = await newContext(browser, baseUrl, viewport);
      const timelineLog = newLog();
      const timeline = await openPage(timelineContext, baseUrl, timelineLog);
      await checkTimeline(timeline, baseUrl, label);
      if (viewport === VIEWPORT) await screenshot(timeline, 'timeline');
      checkLog(label, timelineLog, baseUrl);
      await timelineContext.close();
    }
  } finally {
    await browser.close();
  }

  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
