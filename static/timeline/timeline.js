// Kangzhan timeline: the 30 battles on a time axis, by phase.
//
// Plain JavaScript, no framework and no build step. It loads its data from
// /graphql with two POSTs (the phases, then the battles with everything the
// details panel shows), draws an SVG and redraws it when the page is resized.
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const DAY_MS = 86400000;

  // Years always shown on the axis, whatever the data says.
  const FIRST_YEAR = 1932;
  const LAST_YEAR = 1945;

  // One colour per phase, in phase order; all at least 3.8:1 against white.
  const PHASE_COLORS = ['#7B5E3B', '#C0392B', '#C76A00', '#2C6FAC', '#6B4C9A', '#2E8540', '#1F7A8C', '#A23B72'];

  // Geometry of the chart, in CSS pixels.
  const MIN_WIDTH = 640; // narrower screens scroll the chart sideways
  const AXIS_HEIGHT = 30;
  const LANE_HEIGHT = 34;
  const BAND_PADDING = 8;
  const RIGHT_PADDING = 18;
  const MIN_BAR_WIDTH = 8; // one-day battles stay visible and clickable
  const BAR_HEIGHT = 11;
  const LABEL_GAP = 10; // horizontal room kept free between two battles in a lane
  const LABEL_FONT_SIZE = 13;

  const QUALIFIERS = {
    EXACT: '',
    MORE_THAN: 'more than ',
    ABOUT: 'about ',
    NEARLY: 'nearly ',
  };

  const PRECISIONS = {
    DAY: 'to the day',
    TEN_DAYS: 'to ten days (上旬/中旬/下旬)',
    MONTH: 'to the month',
  };

  const FORCE_KINDS = {
    WAR_ZONE: 'war area',
    AREA_ARMY: 'area army',
    ARMY_GROUP: 'army group',
    ARMY: 'army',
    DIVISION: 'division',
    BRIGADE: 'brigade',
    REGIMENT: 'regiment',
    DETACHMENT: 'detachment',
    NAVAL: 'naval',
    AIR: 'air',
    OTHER: 'other',
  };

  const PHASES_QUERY = `query TimelinePhases {
  phases { id ordinal name nameEn }
}`;

  const BATTLES_QUERY = `query TimelineBattles {
  battles(first: 100) {
    nodes {
      ordinal
      name
      nameEn
      phase { id ordinal name nameEn }
      start { text earliest latest precision }
      end { text earliest latest precision }
      sides {
        belligerent { name nameEn }
        strength { value qualifier text }
        casualties { value qualifier text }
      }
      commanders { id name nameEn belligerent { nameEn } }
      forces { id name nameEn kind belligerent { name nameEn } }
      commands { commander { id } force { name } role killedInAction }
    }
  }
}`;

  const state = {
    phases: [], // sorted by ordinal
    battles: [], // sorted by ordinal
    byOrdinal: new Map(), // ordinal -> battle
    commanders: new Map(), // id -> { id, name, nameEn, belligerentEn, ordinals: [] }
    phaseColor: new Map(), // phase id -> colour
    selected: null, // ordinal of the battle in the details panel
    commanderId: null, // id of the highlighted commander
    drawnWidth: 0,
    order: [], // ordinals in the order the chart draws them (for arrow keys)
  };

  const els = {};

  // ---- small DOM helpers -------------------------------------------------

  /** An HTML element: h('p', { class: 'x' }, 'text', child, ...). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  /** An SVG element, same signature as h(). */
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
  }

  /** "淞沪会战 Battle of Shanghai": Chinese, then English in a muted span. */
  function bilingual(zh, en) {
    return [h('span', { lang: 'zh-Hans' }, zh), ' ', h('span', { class: 'en', lang: 'en' }, en)];
  }

  // ---- data ----------------------------------------------------------------

  async function graphql(query, operationName) {
    let response;
    try {
      response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ query, operationName }),
      });
    } catch (error) {
      throw new Error(`the server could not be reached (${error.message})`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON: reported below with the HTTP status.
    }
    if (body && Array.isArray(body.errors) && body.errors.length > 0) {
      throw new Error(body.errors.map((e) => e.message).join('; '));
    }
    if (!response.ok || !body || !body.data) {
      throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    return body.data;
  }

  async function load() {
    setLoading(true);
    hideError();
    try {
      const { phases } = await graphql(PHASES_QUERY, 'TimelinePhases');
      const { battles } = await graphql(BATTLES_QUERY, 'TimelineBattles');
      ingest(phases, battles.nodes);
      els.details.hidden = false;
      renderLegend();
      draw(true);
      applyHighlight();
      // A link such as /timeline#8 opens that battle.
      const fromHash = Number.parseInt(location.hash.slice(1), 10);
      if (state.byOrdinal.has(fromHash)) select(fromHash, { scroll: false });
    } catch (error) {
      showError(error);
    } finally {
      setLoading(false);
    }
  }

  function ingest(phases, battles) {
    state.phases = [...phases].sort((a, b) => a.ordinal - b.ordinal);
    state.phases.forEach((phase, i) => state.phaseColor.set(phase.id, PHASE_COLORS[i % PHASE_COLORS.length]));
    state.battles = [...battles].sort((a, b) => a.ordinal - b.ordinal);
    state.byOrdinal = new Map(state.battles.map((b) => [b.ordinal, b]));
    for (const battle of state.battles) {
      // A battle whose phase the phases query did not list still gets a band.
      if (!state.phaseColor.has(battle.phase.id)) {
        state.phases.push(battle.phase);
        state.phases.sort((a, b) => a.ordinal - b.ordinal);
        state.phaseColor.set(battle.phase.id, PHASE_COLORS[(state.phases.length - 1) % PHASE_COLORS.length]);
      }
      battle.t0 = parseDay(battle.start.earliest);
      battle.t1 = parseDay(battle.end.latest) + DAY_MS; // the end day is included
      for (const commander of battle.commanders) {
        let entry = state.commanders.get(commander.id);
        if (!entry) {
          entry = {
            id: commander.id,
            name: commander.name,
            nameEn: commander.nameEn,
            belligerentEn: commander.belligerent ? commander.belligerent.nameEn : '',
            ordinals: [],
          };
          state.commanders.set(commander.id, entry);
        }
        if (!entry.ordinals.includes(battle.ordinal)) entry.ordinals.push(battle.ordinal);
      }
    }
  }

  function parseDay(iso) {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  }

  // ---- loading and errors ------------------------------------------------------

  function setLoading(loading) {
    els.status.hidden = !loading;
    els.chart.setAttribute('aria-busy', loading ? 'true' : 'false');
  }

  function showError(error) {
    els.error.replaceChildren(
      h('p', { lang: 'en' }, h('strong', null, 'The timeline could not be loaded from /graphql: '), h('code', null, error.message || String(error))),
      h('button', { type: 'button', class: 'button', lang: 'en' }, 'Try again'),
    );
    els.error.querySelector('button').addEventListener('click', () => load());
    els.error.hidden = false;
    if (!state.battles.length) els.details.hidden = true;
  }

  function hideError() {
    els.error.hidden = true;
    els.error.replaceChildren();
  }

  // ---- legend ----------------------------------------------------------------

  function renderLegend() {
    const counts = new Map();
    for (const b of state.battles) counts.set(b.phase.id, (counts.get(b.phase.id) || 0) + 1);
    els.legend.replaceChildren(
      ...state.phases.map((phase) => {
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.setProperty('--swatch', state.phaseColor.get(phase.id));
        const n = counts.get(phase.id) || 0;
        return h(
          'li',
          null,
          swatch,
          bilingual(phase.name, phase.nameEn),
          ' ',
          h('span', { class: 'count', lang: 'en' }, `(${n} ${n === 1 ? 'battle' : 'battles'})`),
        );
      }),
    );
  }

  // ---- the chart ------------------------------------------------------------------

  let measureContext = null;

  function textWidth(text, fontSize, weight) {
    if (!measureContext) measureContext = document.createElement('canvas').getContext('2d');
    const family = getComputedStyle(els.chart).fontFamily || 'sans-serif';
    measureContext.font = `${weight || 'normal'} ${fontSize}px ${family}`;
    return measureContext.measureText(text).width;
  }

  /** Cuts `text` with an ellipsis to fit `max` pixels. */
  function fitText(text, fontSize, weight, max) {
    if (textWidth(text, fontSize, weight) <= max) return text;
    let cut = text;
    while (cut.length > 1 && textWidth(`${cut}…`, fontSize, weight) > max) cut = cut.slice(0, -1);
    return `${cut}…`;
  }

  function dateRangeText(battle) {
    return `${battle.start.text} – ${battle.end.text}`;
  }

  function draw(force) {
    // The chart's box, less its 1px borders (it is hidden while empty).
    const available = els.chart.parentElement.clientWidth - 2;
    if (available <= 0) return;
    const width = Math.max(MIN_WIDTH, Math.floor(available));
    if (!force && width === state.drawnWidth) return;
    state.drawnWidth = width;

    const focusedOrdinal = focusedBattleOrdinal();

    // Time scale: whole years, FIRST_YEAR..LAST_YEAR at least.
    let firstYear = FIRST_YEAR;
    let lastYear = LAST_YEAR;
    for (const b of state.battles) {
      firstYear = Math.min(firstYear, new Date(b.t0).getUTCFullYear());
      lastYear = Math.max(lastYear, new Date(b.t1 - DAY_MS).getUTCFullYear());
    }
    const tMin = Date.UTC(firstYear, 0, 1);
    const tMax = Date.UTC(lastYear + 1, 0, 1);

    // The gutter on the left holds the phase names.
    const longestPhase = Math.max(...state.phases.map((p) => textWidth(p.name, 13, '600')), 40);
    const gutter = Math.round(Math.min(longestPhase + 30, Math.max(84, width * 0.16)));
    const plotLeft = gutter;
    const plotRight = width - RIGHT_PADDING;
    const x = (t) => plotLeft + ((t - tMin) / (tMax - tMin)) * (plotRight - plotLeft);

    // Lay out each phase's battles in lanes so that no two bars or labels overlap.
    const bands = state.phases
      .map((phase) => ({ phase, battles: state.battles.filter((b) => b.phase.id === phase.id) }))
      .filter((band) => band.battles.length > 0);
    let y = AXIS_HEIGHT;
    for (const band of bands) {
      const items = band.battles
        .map((battle) => {
          const x0 = x(battle.t0);
          const x1 = Math.max(x(battle.t1), x0 + MIN_BAR_WIDTH);
          const labelWidth = textWidth(battle.name, LABEL_FONT_SIZE);
          let labelX = x0;
          let anchor = 'start';
          if (x0 + labelWidth > plotRight) {
            labelX = Math.max(plotLeft, x1);
            anchor = 'end';
            if (labelX - labelWidth < plotLeft) labelX = plotLeft + labelWidth;
          }
          const left = anchor === 'start' ? Math.min(x0, labelX) : Math.min(x0, labelX - labelWidth);
          const right = anchor === 'start' ? Math.max(x1, labelX + labelWidth) : Math.max(x1, labelX);
          return { battle, x0, x1, labelX, anchor, left, right };
        })
        .sort((a, b) => a.left - b.left || a.battle.t0 - b.battle.t0 || a.battle.ordinal - b.battle.ordinal);
      const laneEnds = [];
      for (const item of items) {
        let lane = laneEnds.findIndex((end) => end + LABEL_GAP <= item.left);
        if (lane === -1) {
          lane = laneEnds.length;
          laneEnds.push(0);
        }
        laneEnds[lane] = item.right;
        item.lane = lane;
      }
      band.items = items;
      band.top = y;
      band.height = Math.max(laneEnds.length * LANE_HEIGHT, 44) + 2 * BAND_PADDING;
      y += band.height;
    }
    const height = y + 6;

    const svg = s('svg', {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'group',
      'aria-label': `Timeline of ${state.battles.length} battles, ${firstYear}–${lastYear}, grouped by phase`,
    });
    if (state.commanderId) svg.classList.add('dimmed');

    // Band backgrounds and names.
    const bandLayer = s('g', { class: 'bands', 'aria-hidden': 'true' });
    bands.forEach((band, i) => {
      const color = state.phaseColor.get(band.phase.id);
      const years = yearSpan(band.battles);
      bandLayer.append(
        s('rect', { class: `band-bg${i % 2 ? ' odd' : ''}`, x: 0, y: band.top, width, height: band.height }),
        s('rect', { x: 8, y: band.top + BAND_PADDING + 2, width: 4, height: band.height - 2 * BAND_PADDING - 4, rx: 2, fill: color }),
        s(
          'text',
          { class: 'band-label', x: 18, y: band.top + BAND_PADDING + 15 },
          s('title', null, `${band.phase.name} ${band.phase.nameEn}`),
          fitText(band.phase.name, 13, '600', gutter - 24),
        ),
        s('text', { class: 'band-sublabel', x: 18, y: band.top + BAND_PADDING + 31 }, years),
      );
    });
    svg.append(bandLayer);

    // Year grid and axis labels.
    const axis = s('g', { class: 'axis', 'aria-hidden': 'true' });
    const yearWidth = (plotRight - plotLeft) / (lastYear + 1 - firstYear);
    for (let year = firstYear; year <= lastYear + 1; year++) {
      const gx = Math.round(x(Date.UTC(year, 0, 1))) + 0.5;
      axis.append(s('line', { class: 'grid-line', x1: gx, x2: gx, y1: AXIS_HEIGHT - 6, y2: height }));
      if (year <= lastYear) {
        const label = yearWidth >= 34 ? String(year) : `’${String(year).slice(2)}`;
        axis.append(s('text', { class: 'axis-label', x: gx + yearWidth / 2, y: AXIS_HEIGHT - 11, 'text-anchor': 'middle' }, label));
      }
    }
    axis.append(s('line', { class: 'axis-line', x1: plotLeft, x2: plotRight, y1: AXIS_HEIGHT - 0.5, y2: AXIS_HEIGHT - 0.5 }));
    svg.append(axis);

    // The battles, band by band, each band in time order (this is the Tab order).
    const battleLayer = s('g', { class: 'battles' });
    state.order = [];
    for (const band of bands) {
      const color = state.phaseColor.get(band.phase.id);
      const inOrder = [...band.items].sort((a, b) => a.battle.t0 - b.battle.t0 || a.battle.ordinal - b.battle.ordinal);
      for (const item of inOrder) {
        const { battle } = item;
        state.order.push(battle.ordinal);
        const laneTop = band.top + BAND_PADDING + item.lane * LANE_HEIGHT;
        const barY = laneTop + 19;
        const box = { x: item.left - 4, y: laneTop + 1, width: item.right - item.left + 8, height: LANE_HEIGHT - 2 };
        const g = s(
          'g',
          {
            class: 'battle',
            'data-ordinal': battle.ordinal,
            tabindex: 0,
            role: 'button',
            'aria-label': `${battle.ordinal}. ${battle.name} ${battle.nameEn}, ${dateRangeText(battle)}`,
          },
          s('title', null, `${battle.ordinal}. ${battle.name} ${battle.nameEn}\n${dateRangeText(battle)}\n${battle.phase.name} ${battle.phase.nameEn}`),
          s('rect', { class: 'hit', ...box }),
          s('rect', { class: 'halo', ...box, rx: 4 }),
          s('rect', { class: 'focus-ring', ...box, rx: 4 }),
          s('rect', { class: 'bar', x: item.x0, y: barY, width: item.x1 - item.x0, height: BAR_HEIGHT, rx: 2.5, fill: color }),
          s('text', { class: 'label', x: item.labelX, y: laneTop + 15, 'text-anchor': item.anchor }, battle.name),
        );
        battleLayer.append(g);
      }
    }
    svg.append(battleLayer);

    els.chart.replaceChildren(svg);
    els.svg = svg;
    markSelected();
    applyHighlight();
    if (focusedOrdinal !== null) battleElement(focusedOrdinal)?.focus({ preventScroll: true });
  }

  function yearSpan(battles) {
    const first = Math.min(...battles.map((b) => new Date(b.t0).getUTCFullYear()));
    const last = Math.max(...battles.map((b) => new Date(b.t1 - DAY_MS).getUTCFullYear()));
    return first === last ? String(first) : `${first}–${last}`;
  }

  function battleElement(ordinal) {
    return els.chart.querySelector(`.battle[data-ordinal="${ordinal}"]`);
  }

  function focusedBattleOrdinal() {
    const active = document.activeElement;
    if (active && active.classList && active.classList.contains('battle') && els.chart.contains(active)) {
      return Number(active.getAttribute('data-ordinal'));
    }
    return null;
  }

  // ---- selection and the details panel -------------------------------------------

  function select(ordinal, options) {
    const battle = state.byOrdinal.get(ordinal);
    if (!battle) return;
    state.selected = ordinal;
    markSelected();
    renderDetails(battle);
    if (location.hash !== `#${ordinal}`) history.replaceState(null, '', `#${ordinal}`);
    if (!options || options.scroll !== false) revealDetails();
  }

  /** 'smooth', unless the user asked for less motion. */
  function scrollBehavior() {
    return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
  }

  /**
   * Scrolls the details panel into view unless the window already shows its
   * top and all of it (or, for a panel taller than 60% of the window, that
   * much of it): a panel peeking in at the bottom edge is not "in view".
   */
  function revealDetails() {
    const rect = els.details.getBoundingClientRect();
    const vh = window.innerHeight;
    const shown = Math.min(rect.bottom, vh) - Math.max(rect.top, 0);
    if (rect.top >= 0 && shown >= Math.min(rect.height, 0.6 * vh) - 1) return;
    els.details.scrollIntoView({ block: 'start', behavior: scrollBehavior() });
  }

  function markSelected() {
    for (const el of els.chart.querySelectorAll('.battle')) {
      const on = Number(el.getAttribute('data-ordinal')) === state.selected;
      el.classList.toggle('selected', on);
      el.setAttribute('aria-expanded', on ? 'true' : 'false');
    }
  }

  function formatQuantity(q) {
    if (!q) return h('span', { class: 'none', lang: 'en' }, 'not given');
    const value = `${QUALIFIERS[q.qualifier] || ''}${q.value.toLocaleString('en-US')}`;
    return [h('span', { class: 'figure-text', lang: 'zh-Hans' }, q.text), h('span', { class: 'figure-value', lang: 'en' }, value)];
  }

  function isoRange(date) {
    return date.earliest === date.latest ? date.earliest : `${date.earliest} … ${date.latest}`;
  }

  function renderDetails(battle) {
    const color = state.phaseColor.get(battle.phase.id);
    const days = Math.round((battle.t1 - battle.t0) / DAY_MS);
    const details = els.details;
    details.style.setProperty('--phase-color', color);

    const phaseSwatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    phaseSwatch.style.setProperty('--swatch', color);

    // Dates.
    const dates = h(
      'dl',
      { class: 'dates' },
      h('dt', null, '日期 ', h('span', { lang: 'en' }, 'Dates')),
      h('dd', null, h('span', { lang: 'zh-Hans' }, dateRangeText(battle))),
      h('dt', null, h('span', { lang: 'en' }, 'ISO range')),
      h(
        'dd',
        null,
        h('span', { class: 'iso' }, `${battle.start.earliest} – ${battle.end.latest}`),
        ' ',
        h('span', { class: 'precision', lang: 'en' }, `(${days} ${days === 1 ? 'day' : 'days'} at most)`),
      ),
      h('dt', null, '开始 ', h('span', { lang: 'en' }, 'Start')),
      h('dd', null, describeDate(battle.start)),
      h('dt', null, '结束 ', h('span', { lang: 'en' }, 'End')),
      h('dd', null, describeDate(battle.end)),
    );

    // Sides.
    const sides = battle.sides.length
      ? h(
          'table',
          { class: 'sides' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, '交战方 ', h('span', { lang: 'en' }, 'Side')),
              h('th', { scope: 'col' }, '兵力 ', h('span', { lang: 'en' }, 'Strength')),
              h('th', { scope: 'col' }, '伤亡 ', h('span', { lang: 'en' }, 'Casualties')),
            ),
          ),
          h(
            'tbody',
            null,
            battle.sides.map((side) =>
              h(
                'tr',
                null,
                h('th', { scope: 'row' }, bilingual(side.belligerent.name, side.belligerent.nameEn)),
                h('td', null, formatQuantity(side.strength)),
                h('td', null, formatQuantity(side.casualties)),
              ),
            ),
          ),
        )
      : h('p', { class: 'none', lang: 'en' }, 'The source gives no sides.');

    // Commanders, with their part from `commands`.
    const commanders = battle.commanders.length
      ? h(
          'ul',
          { class: 'commanders' },
          battle.commanders.map((commander) => {
            const commands = battle.commands.filter((c) => c.commander && c.commander.id === commander.id);
            const info = [];
            for (const command of commands) {
              const parts = [];
              if (command.role) parts.push(h('span', { lang: 'zh-Hans' }, command.role));
              if (command.force) parts.push(h('span', null, h('span', { lang: 'en' }, 'led '), h('span', { lang: 'zh-Hans' }, command.force.name)));
              if (parts.length) info.push(h('span', { class: 'command-info' }, parts.map((p, i) => (i ? [' · ', p] : p))));
            }
            const killed = commands.some((c) => c.killedInAction);
            const entry = state.commanders.get(commander.id);
            const count = entry ? entry.ordinals.length : 1;
            return h(
              'li',
              null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'commander',
                  'data-commander-id': commander.id,
                  'aria-pressed': state.commanderId === commander.id ? 'true' : 'false',
                  title: `Highlight the ${count} ${count === 1 ? 'battle' : 'battles'} of ${commander.nameEn}`,
                },
                bilingual(commander.name, commander.nameEn),
              ),
              commander.belligerent ? h('span', { class: 'belligerent-tag', lang: 'en' }, commander.belligerent.nameEn) : null,
              killed ? h('span', { class: 'kia', lang: 'en' }, 'killed in action') : null,
              info,
            );
          }),
        )
      : h('p', { class: 'none', lang: 'en' }, 'The source names no commanders for this battle.');

    // Forces, grouped by belligerent (in the order of the sides, then any others).
    const groups = new Map();
    for (const side of battle.sides) groups.set(side.belligerent.nameEn, { belligerent: side.belligerent, forces: [] });
    for (const force of battle.forces) {
      const key = force.belligerent.nameEn;
      if (!groups.has(key)) groups.set(key, { belligerent: force.belligerent, forces: [] });
      groups.get(key).forces.push(force);
    }
    const forceGroups = [...groups.values()].filter((g) => g.forces.length > 0);
    const forces = forceGroups.length
      ? forceGroups.map((group) =>
          h(
            'div',
            { class: 'force-group' },
            h('h4', null, bilingual(group.belligerent.name, group.belligerent.nameEn), ` (${group.forces.length})`),
            h(
              'ul',
              { class: 'forces' },
              group.forces.map((force) =>
                h(
                  'li',
                  null,
                  bilingual(force.name, force.nameEn),
                  h('span', { class: 'kind', lang: 'en' }, FORCE_KINDS[force.kind] || force.kind.toLowerCase()),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'none', lang: 'en' }, 'The source names no forces for this battle.');

    details.replaceChildren(
      h('h2', { id: 'details-heading' }, bilingual(battle.name, battle.nameEn)),
      h(
        'p',
        { class: 'meta' },
        h('span', { lang: 'en' }, `No. ${battle.ordinal} of ${state.battles.length}`),
        ' · ',
        h('span', { class: 'phase-tag' }, phaseSwatch, bilingual(battle.phase.name, battle.phase.nameEn)),
      ),
      // The same battle on /map: its places, linked, and its events.
      h('a', { class: 'map-link', href: `/map#battle=${battle.ordinal}`, lang: 'en' }, h('span', { lang: 'zh-Hans' }, '在地图上'), ' On the map →'),
      dates,
      h(
        'div',
        { class: 'details-grid' },
        h(
          'div',
          null,
          h('h3', null, '兵力与伤亡 ', h('span', { class: 'en', lang: 'en' }, 'Strength and casualties')),
          sides,
          h('h3', null, '指挥官 ', h('span', { class: 'en', lang: 'en' }, 'Commanders')),
          commanders,
        ),
        h('div', null, h('h3', null, '参战部队 ', h('span', { class: 'en', lang: 'en' }, 'Forces')), forces),
      ),
    );
    details.setAttribute('aria-labelledby', 'details-heading');
    details.removeAttribute('aria-label');
  }

  function describeDate(date) {
    return [
      h('span', { lang: 'zh-Hans' }, date.text),
      ' ',
      h('span', { class: 'iso' }, isoRange(date)),
      ' ',
      h('span', { class: 'precision', lang: 'en' }, `(${PRECISIONS[date.precision] || date.precision.toLowerCase()})`),
    ];
  }

  // ---- commander highlight ------------------------------------------------------------

  function toggleCommander(id) {
    state.commanderId = state.commanderId === id ? null : id;
    applyHighlight();
    if (state.commanderId) revealHighlight();
  }

  /**
   * Shows what a commander's highlight changed: scrolls the window so that
   * his summary (#highlight-status, which sticks to the top of the window
   * while the chart is on screen) and his highlighted battles are in view:
   * all of them when they fit below the summary, else the topmost ones; and
   * scrolls the chart sideways (narrow screens) to the first in time. Does
   * nothing when the summary and one of his battles are already in view.
   */
  function revealHighlight() {
    const entry = state.commanders.get(state.commanderId);
    const battles = entry ? entry.ordinals.map((o) => battleElement(o)).filter(Boolean) : [];
    if (!battles.length || els.highlightStatus.hidden) return;
    const behavior = scrollBehavior();
    const vh = window.innerHeight;
    const margin = 12;

    // Sideways first (it changes no vertical position): the span of his
    // battles when it fits in the chart's box, else his first battle in time.
    const chartBox = els.chart.getBoundingClientRect();
    const boxes = battles.map((el) => el.getBoundingClientRect());
    const first = battles
      .map((el, i) => ({ box: boxes[i], t0: state.byOrdinal.get(Number(el.getAttribute('data-ordinal'))).t0 }))
      .sort((a, b) => a.t0 - b.t0)[0].box;
    const spanLeft = Math.min(...boxes.map((b) => b.left));
    const spanRight = Math.max(...boxes.map((b) => b.right));
    const [left, right] = spanRight - spanLeft <= chartBox.width - 2 * margin ? [spanLeft, spanRight] : [first.left, first.right];
    if (left < chartBox.left || right > chartBox.right) {
      const delta = (left + right) / 2 - (chartBox.left + chartBox.right) / 2;
      els.chart.scrollTo({ left: els.chart.scrollLeft + delta, behavior });
    }

    // Then up or down. In document coordinates (sticky positioning moves no
    // battle): the summary's place in the flow is just above the chart.
    const y = window.scrollY;
    const summary = els.highlightStatus.getBoundingClientRect();
    const summaryHeight = summary.height;
    const barTop = (box) => box.top + y;
    const barBottom = (box) => box.bottom + y;
    const inView = boxes.some((b) => b.top >= summary.bottom && b.bottom <= vh);
    if (summary.top >= 0 && summary.bottom <= vh && inView) return;

    const topmost = Math.min(...boxes.map(barTop));
    const bottommost = Math.max(...boxes.map(barBottom));
    // Best: the summary where it sits in the flow, just above the chart (its
    // rect may be the stuck one, so count up from the chart), near the top edge.
    const gap = Number.parseFloat(getComputedStyle(els.highlightStatus).marginBottom) || 0;
    let target = chartBox.top + y - gap - summaryHeight - margin;
    // Not below the point where the topmost battle would slide under the stuck summary.
    const latest = topmost - summaryHeight - margin;
    if (bottommost - target > vh - margin) target = Math.min(bottommost - vh + margin, latest);
    const max = document.documentElement.scrollHeight - vh;
    target = Math.max(0, Math.min(target, max));
    if (Math.abs(target - y) >= 1) window.scrollTo({ top: target, behavior });
  }

  function clearHighlight() {
    if (state.commanderId === null) return;
    state.commanderId = null;
    applyHighlight();
  }

  function applyHighlight() {
    const entry = state.commanderId ? state.commanders.get(state.commanderId) : null;
    const ordinals = new Set(entry ? entry.ordinals : []);
    if (els.svg) els.svg.classList.toggle('dimmed', Boolean(entry));
    for (const el of els.chart.querySelectorAll('.battle')) {
      el.classList.toggle('highlight', ordinals.has(Number(el.getAttribute('data-ordinal'))));
    }
    for (const button of els.details.querySelectorAll('.commander')) {
      button.setAttribute('aria-pressed', entry && button.getAttribute('data-commander-id') === entry.id ? 'true' : 'false');
    }
    if (!entry) {
      // Focus on Clear or a battle of the summary would be lost with it: hand
      // it to the chart, at the selected battle (or the first), where it was.
      if (els.highlightStatus.contains(document.activeElement)) {
        (battleElement(state.selected) || battleElement(state.order[0]))?.focus({ preventScroll: true });
      }
      els.highlightStatus.hidden = true;
      els.highlightStatus.replaceChildren();
      return;
    }
    const battles = [...ordinals].map((o) => state.byOrdinal.get(o)).sort((a, b) => a.t0 - b.t0);
    const n = battles.length;
    els.highlightStatus.replaceChildren(
      h(
        'span',
        null,
        h('strong', { lang: 'zh-Hans' }, entry.name),
        ' ',
        h('span', { lang: 'en' }, `(${entry.nameEn}): ${n} ${n === 1 ? 'battle' : 'battles'}`),
        ' — ',
        battles.map((b, i) => [
          i ? '、' : '',
          h(
            'button',
            { type: 'button', class: 'summary-battle', 'data-ordinal': b.ordinal, lang: 'zh-Hans', title: `${b.ordinal}. ${b.name} ${b.nameEn}: show its details` },
            b.name,
          ),
        ]),
      ),
      h('button', { type: 'button', class: 'button clear-highlight', lang: 'en' }, 'Clear'),
    );
    els.highlightStatus.hidden = false;
  }

  // ---- events ------------------------------------------------------------------------------

  function onChartClick(event) {
    const battle = event.target.closest('.battle');
    if (battle) {
      select(Number(battle.getAttribute('data-ordinal')));
    } else {
      clearHighlight(); // a click on an empty part of the chart
    }
  }

  function onChartKeydown(event) {
    const battle = event.target.closest && event.target.closest('.battle');
    if (event.key === 'Escape') {
      clearHighlight();
      return;
    }
    if (!battle) return;
    const ordinal = Number(battle.getAttribute('data-ordinal'));
    if (event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar') {
      event.preventDefault();
      select(ordinal);
      return;
    }
    const i = state.order.indexOf(ordinal);
    let next = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = state.order[Math.min(i + 1, state.order.length - 1)];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = state.order[Math.max(i - 1, 0)];
    else if (event.key === 'Home') next = state.order[0];
    else if (event.key === 'End') next = state.order[state.order.length - 1];
    if (next !== null && next !== undefined) {
      event.preventDefault();
      battleElement(next)?.focus();
    }
  }

  function onDetailsClick(event) {
    const button = event.target.closest('.commander');
    if (button) toggleCommander(button.getAttribute('data-commander-id'));
  }

  function onHighlightStatusClick(event) {
    const battle = event.target.closest('.summary-battle');
    if (battle) select(Number(battle.getAttribute('data-ordinal')));
    else if (event.target.closest('.clear-highlight')) clearHighlight();
  }

  function init() {
    els.chart = document.getElementById('chart');
    els.legend = document.getElementById('legend');
    els.status = document.getElementById('status');
    els.error = document.getElementById('error');
    els.details = document.getElementById('details');
    els.highlightStatus = document.getElementById('highlight-status');

    els.chart.addEventListener('click', onChartClick);
    els.chart.addEventListener('keydown', onChartKeydown);
    els.details.addEventListener('click', onDetailsClick);
    els.highlightStatus.addEventListener('click', onHighlightStatusClick);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !els.chart.contains(event.target)) clearHighlight();
    });

    // Redraw when the chart's width changes (window resize, rotation, zoom).
    let pending = 0;
    const redraw = () => {
      if (pending) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        if (state.battles.length) draw(false);
      });
    };
    if ('ResizeObserver' in window) new ResizeObserver(redraw).observe(els.chart.parentElement);
    window.addEventListener('resize', redraw);

    load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
