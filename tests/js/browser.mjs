#!/usr/bin/env node
// browser.mjs — the server's pages (GraphiQL, the timeline, the map) in a real
// (headless) Chromium, used as a person would use them.
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
//   c. GET /map: it draws every place that has a location (as many
//      svg .place[data-place-id] as /graphql lists places with a location);
//      a click on 台儿庄 shows 徐州会战 in #details; the slider at 1938-04
//      shows 徐州会战 under way; the keyboard reaches a place (Tab, Enter) and
//      Escape closes the panel; /map -> /timeline -> /map for the same battle.
//      Its screenshot is always saved (target/screenshots/map.png unless
//      $SCREENSHOT_DIR is set).
//   d. Chinese renders without system CJK fonts: a second Chromium whose
//      fontconfig lists no CJK font (only DejaVu) shows /map and /timeline;
//      there the CJK web font from /fonts/ is loaded, and a Chinese string is
//      exactly as wide in the page's font stack as in the web font alone (and
//      not as wide as the missing-glyph boxes of the system fonts). GraphiQL's
//      result pane lists the web font too.
//   e. No page makes a request outside the server's origin (the pages
//      must work offline, with nothing from a CDN), logs a console error or
//      throws an uncaught exception.
// Why: the Rust tests see the HTML, never whether the JavaScript in it runs;
// this is the only test that the pages actually work in a browser.
//
// A request to another origin is recorded and then aborted, so the test never
// sends traffic off this machine. Screenshots go to $SCREENSHOT_DIR when set.
//
// Closing line: `N passed, M failed`; exit code 1 on any failure.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Where the map's screenshot goes when $SCREENSHOT_DIR is not set. */
const DEFAULT_SCREENSHOT_DIR = fileURLToPath(new URL('../../target/screenshots', import.meta.url));

/** Saves `<name>.png` (the whole page, or with fullPage false what the window shows). */
async function screenshot(page, name, { fullPage = true, always = false } = {}) {
  const dir = process.env.SCREENSHOT_DIR || (always ? DEFAULT_SCREENSHOT_DIR : null);
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
    ['playground: the result pane shows Chinese in the CJK web font', async () => {
      const family = await page
        .locator('.graphiql-response .view-line')
        .first()
        .evaluate((el) => getComputedStyle(el).fontFamily);
      if (!family.includes(WEB_FONT)) throw new Error(`the result pane's font-family is ${family}`);
      await waitForWebFont(page);
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

// ---- c. the map ------------------------------------------------------------

const WEB_FONT = 'Kangzhan Noto Sans SC';
const TAIERZHUANG = '台儿庄';
const XUZHOU = '徐州会战';

/** POSTs a query to /graphql from this script (not from a page). */
async function graphqlFromTest(baseUrl, query, variables) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`/graphql: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** How many places /graphql gives a location, page by page. */
async function locatedPlaces(baseUrl) {
  const query = `query ($after: String) { places(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { location { latitude } } } }`;
  let after = null;
  let located = 0;
  let all = 0;
  for (let i = 0; i < 100; i++) {
    const { places } = await graphqlFromTest(baseUrl, query, { after });
    all += places.nodes.length;
    located += places.nodes.filter((p) => p.location).length;
    if (!places.pageInfo.hasNextPage) break;
    after = places.pageInfo.endCursor;
  }
  return { located, all };
}

async function checkMap(page, baseUrl) {
  let battleOrdinal = null;
  await runSteps([
    ['map: /map draws svg .place elements', async () => {
      await goto(page, `${baseUrl}/map`);
      await page.locator('svg .place').first().waitFor({ state: 'attached' });
    }],
    ['map: every place with a location is drawn', async () => {
      const { located, all } = await locatedPlaces(baseUrl);
      const drawn = await page.locator('svg .place[data-place-id]').count();
      if (located === 0) throw new Error(`/graphql gives no place a location (of ${all})`);
      if (drawn !== located) throw new Error(`drew ${drawn} places, /graphql has ${located} with a location (of ${all})`);
    }],
    [`map: clicking ${TAIERZHUANG} shows ${XUZHOU} in #details`, async () => {
      await page.locator(`svg .place[data-name="${TAIERZHUANG}"]`).first().click();
      await waitForText(page, '#details', [TAIERZHUANG, XUZHOU]);
    }],
    ['map: Escape closes the panel', async () => {
      await page.keyboard.press('Escape');
      await page.locator('#details .details-empty').waitFor({ state: 'visible' });
    }],
    [`map: the slider at 1938-04 shows ${XUZHOU} under way`, async () => {
      const slider = page.locator('#month');
      await slider.focus();
      // 1938-04 is month 75 from 1932-01: Home, then the arrow key 75 times.
      await page.keyboard.press('Home');
      for (let i = 0; i < 75; i++) await page.keyboard.press('ArrowRight');
      await waitForText(page, '#month-output', ['1938年4月']);
      await waitForText(page, '#under-way', [XUZHOU]);
      const active = await page.locator('.battle-chip.active', { hasText: XUZHOU }).count();
      if (active === 0) throw new Error(`${XUZHOU} is not marked under way in the battle list`);
    }],
    ['map: the keyboard reaches a place (Tab) and Enter selects it', async () => {
      // The header's last link, then Tab: the map's places come next.
      await page.locator('.page-header a').last().focus();
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => document.activeElement?.getAttribute('data-name'));
      if (!first) throw new Error(`Tab from the header reached ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-name'));
      if (!focused) throw new Error('no place has the focus after an arrow key');
      await waitForText(page, '#details h2', [focused]);
      await page.keyboard.press('Escape');
      await page.locator('#details .details-empty').waitFor({ state: 'visible' });
    }],
    [`map: ${XUZHOU}'s panel links to the timeline, and back`, async () => {
      await page.locator('#battle-list .battle-chip', { hasText: XUZHOU }).first().click();
      await waitForText(page, '#details', [XUZHOU, 'On the timeline']);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'map', { always: true });
      const href = await page.locator('#details a.cross-link').getAttribute('href');
      battleOrdinal = /^\/timeline#(\d+)$/.exec(href ?? '')?.[1];
      if (!battleOrdinal) throw new Error(`the link to the timeline is ${href}`);
      await page.locator('#details a.cross-link').click();
      await page.waitForURL(`${baseUrl}/timeline#${battleOrdinal}`);
      await waitForText(page, '#details', [XUZHOU, 'On the map']);
      await page.locator('#details a.map-link').click();
      await page.waitForURL(`${baseUrl}/map#battle=${battleOrdinal}`);
      await waitForText(page, '#details', [XUZHOU, 'On the timeline']);
      const members = await page.locator('svg .place.member').count();
      if (members === 0) throw new Error(`${XUZHOU}'s places are not highlighted on the map`);
    }],
  ]);
}

// ---- d. Chinese without system CJK fonts ------------------------------------

/**
 * A fontconfig file that knows only DejaVu (no CJK font), in a temporary
 * folder; Chromium started with it has no CJK font to fall back on.
 */
function fontconfigWithoutCjk() {
  const dir = mkdtempSync(join(tmpdir(), 'kz-fonts-'));
  const fonts = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/truetype/liberation'].filter((d) => existsSync(d));
  const empty = join(dir, 'none');
  mkdirSync(empty);
  const dirs = (fonts.length ? fonts : [empty]).map((d) => `  <dir>${d}</dir>`).join('\n');
  const file = join(dir, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${dirs}\n  <cachedir>${join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return { dir, file };
}

/** Waits until the page has loaded the web font. */
async function waitForWebFont(page) {
  try {
    await page.waitForFunction(
      (family) => [...document.fonts].some((f) => f.family.replace(/"/g, '') === family && f.status === 'loaded'),
      WEB_FONT,
      { timeout: TIMEOUT_MS },
    );
  } catch {
    const faces = await page.evaluate(() => [...document.fonts].map((f) => `${f.family} ${f.status}`).join(', '));
    throw new Error(`the web font ${WEB_FONT} never loaded; document.fonts: ${faces || 'none'}`);
  }
}

/**
 * In the page: the width of a Chinese string in the font stack of `selector`,
 * in the web font alone, in the system's sans-serif, and of as many
 * characters that no font has (missing-glyph boxes).
 */
async function cjkWidths(page, selector) {
  return page.evaluate(
    ({ selector, family }) => {
      const el = document.querySelector(selector);
      if (!el) return { error: `${selector} not found` };
      const style = getComputedStyle(el);
      const text = '台儿庄徐州会战抗战';
      const ctx = document.createElement('canvas').getContext('2d');
      const width = (font, t = text) => {
        ctx.font = `400 ${style.fontSize} ${font}`;
        return ctx.measureText(t).width;
      };
      return {
        stack: style.fontFamily,
        page: width(style.fontFamily),
        web: width(`"${family}"`),
        system: width('sans-serif'),
        missing: width('sans-serif', '\u{10FFFD}'.repeat([...text].length)),
      };
    },
    { selector, family: WEB_FONT },
  );
}

async function checkCjk(page, baseUrl, path, selector) {
  await runSteps([
    [`no CJK system font: ${path} loads the web font from /fonts/`, async () => {
      await goto(page, `${baseUrl}${path}`);
      await page.locator(selector).first().waitFor({ state: 'attached' });
      await waitForWebFont(page);
    }],
    [`no CJK system font: ${path} renders Chinese in the web font`, async () => {
      const w = await cjkWidths(page, selector);
      if (w.error) throw new Error(w.error);
      if (!w.stack.includes(WEB_FONT)) throw new Error(`${selector}'s font-family lacks ${WEB_FONT}: ${w.stack}`);
      if (Math.abs(w.page - w.web) > 0.5) throw new Error(`width ${w.page} in the page's stack, ${w.web} in the web font alone`);
      // The check means something only where the system has no CJK glyphs.
      if (Math.abs(w.system - w.missing) > 0.5) {
        throw new Error(`this Chromium has a CJK system font after all (sans-serif ${w.system}, missing glyphs ${w.missing})`);
      }
      await screenshot(page, `no-cjk-${path.replace(/\W/g, '') || 'root'}`);
    }],
  ]);
}

// ---- e. nothing from elsewhere, no errors ----------------------------------

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

async function launch(env) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: TIMEOUT_MS,
    ...(env ? { env: { ...process.env, ...env } } : {}),
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

    // The map, in a laptop's window.
    const mapContext = await newContext(browser, baseUrl, { width: 1366, height: 900 });
    const mapLog = newLog();
    const map = await openPage(mapContext, baseUrl, mapLog);
    await checkMap(map, baseUrl);
    checkLog('map', mapLog, baseUrl);
    await mapContext.close();
  } finally {
    await browser.close();
  }

  // Chinese without CJK system fonts, in a Chromium of its own.
  const fontconfig = fontconfigWithoutCjk();
  let bare;
  try {
    bare = await launch({ FONTCONFIG_FILE: fontconfig.file });
    const context = await newContext(bare, baseUrl, { width: 1366, height: 900 });
    const log = newLog();
    const page = await openPage(context, baseUrl, log);
    await checkCjk(page, baseUrl, '/map', '.page-header h1');
    await checkCjk(page, baseUrl, '/timeline', '.page-header h1');
    checkLog('no CJK system font', log, baseUrl);
    await context.close();
  } catch (err) {
    record('no CJK system font: chromium starts', false, err.message);
  } finally {
    await bare?.close();
    rmSync(fontconfig.dir, { recursive: true, force: true });
  }

  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
