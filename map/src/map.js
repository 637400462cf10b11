// Kangzhan map: the places the battles' texts name, on a map of the theatre
// of war; the battles under way month by month; a details panel as on the
// timeline.
//
// Bundled by map/scripts/build-map.mjs (esbuild) with d3-geo and
// topojson-client into static/map/map.js. The basemap is /map/basemap.json
// (Natural Earth through world-atlas, clipped at build time); every datum
// comes from POST /graphql on this origin.
import { geoConicEqualArea, geoPath, geoGraticule } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import { VIEW, PROJECTION } from './theatre.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const DAY_MS = 86400000;

// The slider: one step a month, 1932-01 .. 1945-09.
const FIRST_YEAR = 1932;
const MONTHS = (1945 - FIRST_YEAR) * 12 + 9; // 165: indexes 0..164
const DEFAULT_MONTH = (1937 - FIRST_YEAR) * 12 + 6; // 1937-07
const PLAY_MS = 600;

// The timeline's phase colours, in phase order.
const PHASE_COLORS = ['#7B5E3B', '#C0392B', '#C76A00', '#2C6FAC', '#6B4C9A', '#2E8540', '#1F7A8C', '#A23B72'];

const MIN_ZOOM = 1;
const MAX_ZOOM = 16;
const LABEL_FONT_SIZE = 12;
const MAJOR_LABELS = 40; // at most this many place names shown at once (more when zoomed)
const CHINA_IDS = new Set(['156']); // ISO 3166 numeric: China (modern borders)

const QUALIFIERS = { EXACT: '', MORE_THAN: 'more than ', ABOUT: 'about ', NEARLY: 'nearly ' };
const PRECISIONS = { DAY: 'to the day', TEN_DAYS: 'to ten days (上旬/中旬/下旬)', MONTH: 'to the month' };
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
const PLACE_KINDS = {
  CITY: ['城市', 'city'],
  TOWN: ['城镇', 'town'],
  VILLAGE: ['村庄', 'village'],
  PASS: ['关隘', 'pass'],
  FORT: ['要塞', 'fort'],
  RIVER: ['河流', 'river'],
  LAKE: ['湖泊', 'lake'],
  MOUNTAIN: ['山', 'mountain'],
  BAY: ['海湾', 'bay'],
  RAILWAY: ['铁路', 'railway'],
  REGION: ['地区', 'region'],
  OTHER: ['其他', 'other'],
};

// Country names on the basemap (modern borders), at hand-picked points.
const COUNTRY_LABELS = [
  ['中国', 'China', 103.5, 37.8],
  ['日本', 'Japan', 138.6, 37.2],
  ['朝鲜', 'Korea', 127.4, 39.6],
  ['蒙古', 'Mongolia', 103, 46.6],
  ['缅甸', 'Burma', 95.8, 21.6],
  ['印度', 'India', 92.6, 26.7],
  ['越南', 'Vietnam', 105.6, 15.8],
  ['泰国', 'Thailand', 101, 15.2],
  ['菲律宾', 'Philippines', 122.2, 12.6],
];

const PHASES_AND_BATTLES_QUERY = `query MapBattles {
  phases { id ordinal name nameEn }
  battles(first: 100) {
    nodes {
      id
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
      places { id }
      events { id }
    }
  }
}`;

const PLACES_QUERY = `query MapPlaces($after: String) {
  places(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      nameEn
      kind
      location { latitude longitude source uncertaintyKm }
      battles { id }
    }
  }
}`;

const EVENTS_QUERY = `query MapEvents($after: String) {
  events(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      date { text earliest latest precision }
      text
      battle { id }
      places { id }
    }
  }
}`;

const state = {
  topo: null,
  phases: [],
  battles: [], // by ordinal
  battleById: new Map(),
  battleByOrdinal: new Map(),
  places: [], // as the server lists them
  placeById: new Map(),
  located: [], // places with a location, drawing order (largest first)
  events: [], // by date
  eventById: new Map(),
  phaseColor: new Map(),
  phaseSpan: new Map(), // phase id -> [first month, last month]
  month: null, // slider index, or null for the whole war
  sliderValue: DEFAULT_MONTH,
  selection: null, // { kind: 'place' | 'battle', id }
  returnFocus: null, // what to focus when the panel is closed
  focusedPlace: null, // id of the place that has tabindex 0
  zoom: { k: 1, x: 0, y: 0 },
  size: { width: 0, height: 0 },
  projection: null,
  playing: 0,
};

const els = {};

// ---- small DOM helpers (as on the timeline) -------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

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

function bilingual(zh, en) {
  return [h('span', { lang: 'zh-Hans' }, zh), ' ', h('span', { class: 'en', lang: 'en' }, en)];
}

function swatch(color) {
  const el = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  el.style.setProperty('--swatch', color);
  return el;
}

// ---- data --------------------------------------------------------------------

async function graphql(query, variables, operationName) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables, operationName }),
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

/** Every node of a connection, page by page (the server gives 100 at most a page). */
async function allNodes(query, operationName, field) {
  const nodes = [];
  let after = null;
  for (let page = 0; page < 1000; page++) {
    const data = await graphql(query, { after }, operationName);
    const connection = data[field];
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return nodes;
}

async function loadBasemap() {
  const response = await fetch('/map/basemap.json');
  if (!response.ok) throw new Error(`GET /map/basemap.json answered HTTP ${response.status}`);
  return response.json();
}

async function load() {
  setLoading(true);
  hideError();
  try {
    const [topo, core, places, events] = await Promise.all([
      loadBasemap(),
      graphql(PHASES_AND_BATTLES_QUERY, null, 'MapBattles'),
      allNodes(PLACES_QUERY, 'MapPlaces', 'places'),
      allNodes(EVENTS_QUERY, 'MapEvents', 'events'),
    ]);
    ingest(topo, core.phases, core.battles.nodes, places, events);
    renderPhaseMarks();
    renderBattleList();
    renderUnlocated();
    draw(true);
    applyHash();
    renderTime();
  } catch (error) {
    showError(error);
  } finally {
    setLoading(false);
  }
}

function parseDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function monthStart(index) {
  return Date.UTC(FIRST_YEAR + Math.floor(index / 12), index % 12, 1);
}

function monthEnd(index) {
  return monthStart(index + 1) - DAY_MS; // its last day
}

function monthOf(t) {
  const d = new Date(t);
  return (d.getUTCFullYear() - FIRST_YEAR) * 12 + d.getUTCMonth();
}

function monthKey(index) {
  const y = FIRST_YEAR + Math.floor(index / 12);
  return `${y}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function monthText(index) {
  const y = FIRST_YEAR + Math.floor(index / 12);
  const m = (index % 12) + 1;
  const en = new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return { zh: `${y}年${m}月`, en };
}

function ingest(topo, phases, battles, places, events) {
  state.topo = topo;
  state.phases = [...phases].sort((a, b) => a.ordinal - b.ordinal);
  state.phases.forEach((p, i) => state.phaseColor.set(p.id, PHASE_COLORS[i % PHASE_COLORS.length]));
  state.battles = [...battles].sort((a, b) => a.ordinal - b.ordinal);
  for (const b of state.battles) {
    if (!state.phaseColor.has(b.phase.id)) {
      state.phases.push(b.phase);
      state.phaseColor.set(b.phase.id, PHASE_COLORS[(state.phases.length - 1) % PHASE_COLORS.length]);
    }
    b.t0 = parseDay(b.start.earliest);
    b.t1 = parseDay(b.end.latest);
    b.placeIds = (b.places || []).map((p) => p.id);
    b.eventIds = (b.events || []).map((e) => e.id);
    state.battleById.set(b.id, b);
    state.battleByOrdinal.set(b.ordinal, b);
  }
  for (const phase of state.phases) {
    const own = state.battles.filter((b) => b.phase.id === phase.id);
    if (!own.length) continue;
    const first = Math.max(0, monthOf(Math.min(...own.map((b) => b.t0))));
    const last = Math.min(MONTHS - 1, monthOf(Math.max(...own.map((b) => b.t1))));
    state.phaseSpan.set(phase.id, [first, last]);
  }

  state.places = places;
  for (const p of places) {
    p.battleIds = p.battles.map((b) => b.id).filter((id) => state.battleById.has(id));
    p.eventIds = [];
    state.placeById.set(p.id, p);
  }
  // A battle's places from Place.battles too, should Battle.places miss one.
  for (const p of places) {
    for (const id of p.battleIds) {
      const b = state.battleById.get(id);
      if (!b.placeIds.includes(p.id)) b.placeIds.push(p.id);
    }
  }
  state.located = places
    .filter((p) => p.location)
    .sort((a, b) => b.battleIds.length - a.battleIds.length || a.name.localeCompare(b.name, 'zh'));

  state.events = [...events].sort((a, b) => parseDay(a.date.earliest) - parseDay(b.date.earliest) || parseDay(a.date.latest) - parseDay(b.date.latest));
  for (const e of state.events) {
    e.t0 = parseDay(e.date.earliest);
    e.t1 = parseDay(e.date.latest);
    e.placeIds = e.places.map((p) => p.id).filter((id) => state.placeById.has(id));
    state.eventById.set(e.id, e);
    for (const id of e.placeIds) state.placeById.get(id).eventIds.push(e.id);
    const b = state.battleById.get(e.battle.id);
    if (b && !b.eventIds.includes(e.id)) b.eventIds.push(e.id);
  }
}

// ---- loading and errors -------------------------------------------------------

function setLoading(loading) {
  els.status.hidden = !loading;
  els.map.setAttribute('aria-busy', loading ? 'true' : 'false');
}

function showError(error) {
  els.error.replaceChildren(
    h('p', { lang: 'en' }, h('strong', null, 'The map could not be loaded: '), h('code', null, error.message || String(error))),
    h('button', { type: 'button', class: 'button', lang: 'en' }, 'Try again'),
  );
  els.error.querySelector('button').addEventListener('click', () => load());
  els.error.hidden = false;
}

function hideError() {
  els.error.hidden = true;
  els.error.replaceChildren();
}

// ---- the map ---------------------------------------------------------------------

/** The view box's outline (densified along parallels and meridians), for fitting. */
function viewOutline() {
  const ring = [];
  const steps = 24;
  for (let i = 0; i <= steps; i++) ring.push([VIEW.west + ((VIEW.east - VIEW.west) * i) / steps, VIEW.south]);
  for (let i = 0; i <= steps; i++) ring.push([VIEW.east, VIEW.south + ((VIEW.north - VIEW.south) * i) / steps]);
  for (let i = 0; i <= steps; i++) ring.push([VIEW.east - ((VIEW.east - VIEW.west) * i) / steps, VIEW.north]);
  for (let i = 0; i <= steps; i++) ring.push([VIEW.west, VIEW.north - ((VIEW.north - VIEW.south) * i) / steps]);
  // Every place in view too, wherever it lies.
  for (const p of state.located) ring.push([p.location.longitude, p.location.latitude]);
  return { type: 'MultiPoint', coordinates: ring };
}

function radius(place) {
  return 3 + 2.3 * Math.sqrt(place.battleIds.length);
}

function draw(force) {
  const width = Math.max(280, Math.floor(els.map.clientWidth || els.map.parentElement.clientWidth) - 0);
  if (!force && width === state.size.width) return;
  const outline = viewOutline();
  const probe = geoConicEqualArea().rotate(PROJECTION.rotate).parallels(PROJECTION.parallels).fitWidth(width, outline);
  const [[, y0], [, y1]] = geoPath(probe).bounds(outline);
  const maxHeight = Math.max(360, window.innerHeight - 120);
  const height = Math.round(Math.min(y1 - y0, maxHeight));
  const pad = 6;
  const projection = geoConicEqualArea()
    .rotate(PROJECTION.rotate)
    .parallels(PROJECTION.parallels)
    .fitExtent([[pad, pad], [width - pad, height - pad]], outline);
  state.projection = projection;
  if (state.size.width !== width || state.size.height !== height) state.zoom = { k: 1, x: 0, y: 0 };
  state.size = { width, height };
  const path = geoPath(projection);

  const focusedId = focusedPlaceId();

  const svg = s('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'group',
    'aria-label': `Map of the theatre of war with ${state.located.length} places`,
  });
  const zoomLayer = s('g', { class: 'zoom-layer' });
  const base = s('g', { class: 'basemap', 'aria-hidden': 'true' });
  base.append(s('rect', { class: 'sea', x: -width * 20, y: -height * 20, width: width * 41, height: height * 41 }));
  base.append(s('path', { class: 'graticule', d: path(geoGraticule().step([5, 5])()) }));
  const countries = feature(state.topo, state.topo.objects.countries);
  for (const f of countries.features) {
    const d = path(f);
    if (d) base.append(s('path', { class: `country${CHINA_IDS.has(String(f.id)) ? ' china' : ''}`, d }, s('title', null, f.properties.name)));
  }
  base.append(s('path', { class: 'borders', d: path(mesh(state.topo, state.topo.objects.countries, (a, b) => a !== b)) }));
  base.append(s('path', { class: 'coast', d: path(mesh(state.topo, state.topo.objects.countries, (a, b) => a === b)) }));
  zoomLayer.append(base);

  // Each battle's places, linked to their hub.
  const links = s('g', { class: 'links', 'aria-hidden': 'true' });
  for (const battle of state.battles) {
    const points = battle.placeIds
      .map((id) => state.placeById.get(id))
      .filter((p) => p && p.location)
      .map((p) => projection([p.location.longitude, p.location.latitude]));
    battle.hub = null;
    if (!points.length) continue;
    const hub = [points.reduce((a, p) => a + p[0], 0) / points.length, points.reduce((a, p) => a + p[1], 0) / points.length];
    battle.hub = hub;
    const d = points.map((p) => `M${hub[0].toFixed(1)},${hub[1].toFixed(1)}L${p[0].toFixed(1)},${p[1].toFixed(1)}`).join('');
    const color = state.phaseColor.get(battle.phase.id);
    const link = s('path', { class: 'link', d, 'data-battle-id': battle.id });
    link.style.setProperty('--phase-color', color);
    links.append(link);
  }
  zoomLayer.append(links);
  svg.append(zoomLayer);

  // Country names and hubs: in screen coordinates, placed by applyZoom().
  const labels = s('g', { class: 'country-labels', 'aria-hidden': 'true' });
  for (const [zh, en, lon, lat] of COUNTRY_LABELS) {
    const [x, y] = projection([lon, lat]);
    labels.append(s('text', { class: 'country-label', 'data-x': x, 'data-y': y, 'text-anchor': 'middle' }, s('title', null, en), zh));
  }
  svg.append(labels);
  const hubs = s('g', { class: 'hubs', 'aria-hidden': 'true' });
  for (const battle of state.battles) {
    if (!battle.hub) continue;
    const hub = s('circle', { class: 'hub', r: 4, 'data-battle-id': battle.id, 'data-x': battle.hub[0], 'data-y': battle.hub[1] });
    hub.style.setProperty('--phase-color', state.phaseColor.get(battle.phase.id));
    hubs.append(hub);
  }
  svg.append(hubs);

  // The places: largest first, so that small ones lie on top and stay clickable.
  const placesLayer = s('g', { class: 'places', role: 'group', 'aria-label': `${state.located.length} places` });
  for (const place of state.located) {
    const [x, y] = projection([place.location.longitude, place.location.latitude]);
    place.xy = [x, y];
    const r = radius(place);
    const n = place.battleIds.length;
    const g = s(
      'g',
      {
        class: 'place',
        'data-place-id': place.id,
        'data-name': place.name,
        'data-battles': n,
        tabindex: -1,
        role: 'button',
        'aria-label': `${place.name} ${place.nameEn}, ${n} ${n === 1 ? 'battle' : 'battles'}`,
      },
      s('title', null, `${place.name} ${place.nameEn}\n${n} ${n === 1 ? 'battle' : 'battles'}`),
      s('circle', { class: 'hit', r: Math.max(r, 7) }),
      s('circle', { class: 'focus-ring', r: r + 3.5 }),
      s('circle', { class: 'dot', r }),
      s('text', { class: 'label', x: r + 3, y: 4 }, place.name),
    );
    placesLayer.append(g);
  }
  svg.append(placesLayer);

  els.map.replaceChildren(svg);
  els.svg = svg;
  els.zoomLayer = zoomLayer;
  els.placesLayer = placesLayer;
  clampZoom();
  applyZoom();
  setRovingFocus(focusedId || state.focusedPlace || (state.located[0] && state.located[0].id));
  if (focusedId) placeElement(focusedId)?.focus({ preventScroll: true });
  applyTime();
  applySelection();
}

function placeElement(id) {
  return id ? els.map.querySelector(`.place[data-place-id="${CSS.escape(id)}"]`) : null;
}

function focusedPlaceId() {
  const active = document.activeElement;
  return active && active.classList && active.classList.contains('place') ? active.getAttribute('data-place-id') : null;
}

function setRovingFocus(id) {
  if (!id || !placeElement(id)) return;
  const previous = placeElement(state.focusedPlace);
  if (previous) previous.setAttribute('tabindex', '-1');
  state.focusedPlace = id;
  placeElement(id).setAttribute('tabindex', '0');
}

// ---- zoom and pan --------------------------------------------------------------------

function clampZoom() {
  const z = state.zoom;
  const { width, height } = state.size;
  z.k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z.k));
  z.x = Math.min(0, Math.max(width - width * z.k, z.x));
  z.y = Math.min(0, Math.max(height - height * z.k, z.y));
}

function zoomAt(factor, cx, cy) {
  const z = state.zoom;
  const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z.k * factor));
  z.x = cx - ((cx - z.x) * k) / z.k;
  z.y = cy - ((cy - z.y) * k) / z.k;
  z.k = k;
  clampZoom();
  applyZoom();
}

function screen([x, y]) {
  const z = state.zoom;
  return [z.x + x * z.k, z.y + y * z.k];
}

function applyZoom() {
  if (!els.svg) return;
  const z = state.zoom;
  els.zoomLayer.setAttribute('transform', `translate(${z.x.toFixed(2)},${z.y.toFixed(2)}) scale(${z.k.toFixed(4)})`);
  for (const el of els.svg.querySelectorAll('[data-x]')) {
    const [x, y] = screen([Number(el.getAttribute('data-x')), Number(el.getAttribute('data-y'))]);
    if (el.tagName === 'circle') {
      el.setAttribute('cx', x.toFixed(1));
      el.setAttribute('cy', y.toFixed(1));
    } else {
      el.setAttribute('x', x.toFixed(1));
      el.setAttribute('y', y.toFixed(1));
    }
  }
  for (const g of els.placesLayer.children) {
    const place = state.placeById.get(g.getAttribute('data-place-id'));
    const [x, y] = screen(place.xy);
    g.setAttribute('transform', `translate(${x.toFixed(1)},${y.toFixed(1)})`);
  }
  chooseLabels();
}

/** Which place names show: the most-named first, none overlapping another. */
function chooseLabels() {
  const { width, height } = state.size;
  const taken = [];
  const limit = Math.round(MAJOR_LABELS * Math.sqrt(state.zoom.k));
  let shown = 0;
  for (const place of state.located) {
    const g = placeElement(place.id);
    let major = false;
    if (shown < limit) {
      const [x, y] = screen(place.xy);
      const r = radius(place);
      const w = place.name.length * LABEL_FONT_SIZE + 2;
      const box = [x + r + 2, y - 9, x + r + 4 + w, y + 6];
      const inside = box[0] >= 0 && box[2] <= width && box[1] >= 0 && box[3] <= height;
      if (inside && !taken.some((t) => box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1])) {
        taken.push(box);
        major = true;
        shown++;
      }
    }
    g.classList.toggle('major', major);
  }
}

function onWheel(event) {
  event.preventDefault();
  const rect = els.svg.getBoundingClientRect();
  zoomAt(Math.exp(-event.deltaY * 0.002), event.clientX - rect.left, event.clientY - rect.top);
}

function installPan() {
  let drag = null;
  els.map.addEventListener('pointerdown', (event) => {
    if (!els.svg || event.button !== 0) return;
    drag = { id: event.pointerId, x: event.clientX, y: event.clientY, zx: state.zoom.x, zy: state.zoom.y, moved: false };
  });
  els.map.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      els.map.setPointerCapture(event.pointerId);
      els.svg.classList.add('dragging');
    }
    state.zoom.x = drag.zx + dx;
    state.zoom.y = drag.zy + dy;
    clampZoom();
    applyZoom();
  });
  const end = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    if (drag.moved) {
      els.svg.classList.remove('dragging');
      // The click that ends a drag selects nothing.
      const swallow = (e) => {
        e.stopPropagation();
        e.preventDefault();
      };
      window.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
    }
    drag = null;
  };
  els.map.addEventListener('pointerup', end);
  els.map.addEventListener('pointercancel', end);
  els.map.addEventListener('wheel', onWheel, { passive: false });
}

function onZoomButton(event) {
  const button = event.target.closest('[data-zoom]');
  if (!button || !els.svg) return;
  const { width, height } = state.size;
  const action = button.getAttribute('data-zoom');
  if (action === 'in') zoomAt(1.6, width / 2, height / 2);
  else if (action === 'out') zoomAt(1 / 1.6, width / 2, height / 2);
  else resetZoom();
}

function resetZoom() {
  state.zoom = { k: 1, x: 0, y: 0 };
  applyZoom();
}

/** Zooms so that the given places are in view (only when they are not already). */
function reveal(placeIds) {
  const points = placeIds.map((id) => state.placeById.get(id)).filter((p) => p && p.xy).map((p) => screen(p.xy));
  if (!points.length) return;
  const { width, height } = state.size;
  const margin = 24;
  if (points.every(([x, y]) => x >= margin && x <= width - margin && y >= margin && y <= height - margin)) return;
  resetZoom();
}

// ---- time -------------------------------------------------------------------------------

function battleActive(battle, index) {
  return battle.t0 <= monthEnd(index) && battle.t1 >= monthStart(index);
}

function eventsIn(index) {
  const t0 = monthStart(index);
  const t1 = monthEnd(index);
  return state.events.filter((e) => e.t0 <= t1 && e.t1 >= t0);
}

function setMonth(index, options) {
  state.sliderValue = index;
  state.month = index;
  els.slider.value = String(index);
  renderTime();
  if (!options || options.hash !== false) writeHash();
}

function setWholeWar() {
  stopPlaying();
  state.month = null;
  renderTime();
  writeHash();
}

function renderTime() {
  applyTime();
  renderMonthSummary();
}

function applyTime() {
  const index = state.month;
  const timed = index !== null;
  const text = monthText(state.sliderValue);
  els.monthOutput.replaceChildren(h('span', { lang: 'zh-Hans' }, text.zh), ' ', h('span', { class: 'en', lang: 'en' }, text.en));
  els.slider.setAttribute('aria-valuetext', `${text.zh} ${text.en}${timed ? '' : ' (whole war shown)'}`);
  els.slider.classList.toggle('off', !timed);
  els.allTime.setAttribute('aria-pressed', timed ? 'false' : 'true');
  if (!els.svg) return;
  els.svg.classList.toggle('timed', timed);
  const active = new Set(timed ? state.battles.filter((b) => battleActive(b, index)).map((b) => b.id) : []);
  const activePlaces = new Set();
  for (const id of active) for (const p of state.battleById.get(id).placeIds) activePlaces.add(p);
  for (const link of els.svg.querySelectorAll('.link')) link.classList.toggle('active', active.has(link.getAttribute('data-battle-id')));
  for (const g of els.placesLayer.children) g.classList.toggle('active', activePlaces.has(g.getAttribute('data-place-id')));
  for (const chip of els.battleList.querySelectorAll('.chip')) {
    const on = active.has(chip.getAttribute('data-battle-id'));
    chip.classList.toggle('active', timed && on);
    chip.classList.toggle('inactive', timed && !on);
  }
  for (const mark of els.phaseMarks.querySelectorAll('.phase-mark')) {
    const span = state.phaseSpan.get(mark.getAttribute('data-phase-id'));
    mark.classList.toggle('current', timed && span && index >= span[0] && index <= span[1]);
  }
}

function renderMonthSummary() {
  const index = state.month;
  if (index === null) {
    const n = state.battles.length;
    els.timeStatus.replaceChildren(
      h('span', { lang: 'en' }, `The whole war, 1932–1945: ${n} battles, ${state.located.length} places on the map, ${state.events.length} dated events. Move the slider to see one month.`),
    );
    els.monthSummary.replaceChildren();
    return;
  }
  const text = monthText(index);
  const battles = state.battles.filter((b) => battleActive(b, index));
  const events = eventsIn(index);
  els.timeStatus.replaceChildren(
    h('strong', { lang: 'zh-Hans' }, text.zh),
    ' ',
    h('span', { lang: 'en' }, `(${text.en}): ${battles.length} ${battles.length === 1 ? 'battle' : 'battles'} under way, ${events.length} ${events.length === 1 ? 'event' : 'events'}`),
  );
  els.monthSummary.replaceChildren(
    h('h3', null, '进行中的战役 ', h('span', { class: 'en', lang: 'en' }, 'Battles under way')),
    battles.length
      ? h('ul', { id: 'under-way', class: 'under-way' }, battles.map((b) => h('li', null, battleChip(b))))
      : h('p', { id: 'under-way', class: 'none', lang: 'en' }, 'No battle of the 30 was under way this month.'),
    h('h3', null, '本月事件 ', h('span', { class: 'en', lang: 'en' }, 'Events this month')),
    events.length ? eventList(events, { battle: true }) : h('p', { class: 'none', lang: 'en' }, 'The narratives date no event in this month.'),
  );
  markSelectedChips();
}

function renderPhaseMarks() {
  const pct = (i) => `${((i / (MONTHS - 1)) * 100).toFixed(3)}%`;
  els.phaseMarks.replaceChildren(
    ...state.phases
      .filter((p) => state.phaseSpan.has(p.id))
      .map((phase) => {
        const [first, last] = state.phaseSpan.get(phase.id);
        const mark = h(
          'button',
          {
            type: 'button',
            class: 'phase-mark',
            'data-phase-id': phase.id,
            title: `${phase.name} ${phase.nameEn}: ${monthKey(first)} – ${monthKey(last)}; go to its first month`,
            'aria-label': `${phase.name} ${phase.nameEn}, ${monthKey(first)} to ${monthKey(last)}: go to its first month`,
          },
          h('span', { lang: 'zh-Hans' }, phase.name),
        );
        mark.style.setProperty('--swatch', state.phaseColor.get(phase.id));
        mark.style.left = pct(first);
        mark.style.width = `max(1.2rem, calc(${pct(last)} - ${pct(first)}))`;
        return mark;
      }),
  );
  const ticks = [];
  for (let y = FIRST_YEAR; y <= 1945; y++) {
    const el = h('span', null, y % 2 === 1 ? String(y) : '');
    el.style.left = pct((y - FIRST_YEAR) * 12);
    ticks.push(el);
  }
  els.yearTicks.replaceChildren(...ticks);
}

function startPlaying() {
  if (state.playing) return;
  if (state.month === null || state.month >= MONTHS - 1) setMonth(state.month === null ? state.sliderValue : 0);
  els.play.setAttribute('aria-pressed', 'true');
  els.play.textContent = '■ Pause';
  state.playing = setInterval(() => {
    if (state.month >= MONTHS - 1) stopPlaying();
    else setMonth(state.month + 1);
  }, PLAY_MS);
}

function stopPlaying() {
  if (!state.playing) return;
  clearInterval(state.playing);
  state.playing = 0;
  els.play.setAttribute('aria-pressed', 'false');
  els.play.textContent = '▶ Play';
}

// ---- lists --------------------------------------------------------------------------------

function battleChip(battle, extra) {
  const chip = h(
    'button',
    {
      type: 'button',
      class: 'chip battle-chip',
      'data-battle-id': battle.id,
      'data-ordinal': battle.ordinal,
      title: `${battle.ordinal}. ${battle.name} ${battle.nameEn}, ${battle.start.text} – ${battle.end.text}: show it`,
    },
    swatch(state.phaseColor.get(battle.phase.id)),
    extra,
    h('span', { lang: 'zh-Hans' }, battle.name),
  );
  return chip;
}

function placeChip(place) {
  return h(
    'button',
    {
      type: 'button',
      class: 'chip place-chip',
      'data-place-id': place.id,
      title: `${place.name} ${place.nameEn}${place.location ? '' : ' (not on the map)'}: show it`,
    },
    h('span', { lang: 'zh-Hans' }, place.name),
    h('span', { class: 'en', lang: 'en' }, place.nameEn),
  );
}

function renderBattleList() {
  els.battleList.replaceChildren(
    ...state.battles.map((b) => h('li', null, battleChip(b, h('span', { class: 'ordinal', lang: 'en' }, String(b.ordinal))))),
  );
}

function renderUnlocated() {
  const missing = state.places.filter((p) => !p.location);
  if (!missing.length) {
    els.unlocated.hidden = true;
    return;
  }
  els.unlocated.replaceChildren(
    h(
      'details',
      null,
      h('summary', { lang: 'en' }, `${missing.length} ${missing.length === 1 ? 'place has' : 'places have'} no location (no gazetteer places it) and ${missing.length === 1 ? 'is' : 'are'} not drawn`),
      h(
        'p',
        null,
        missing.map((p, i) => [
          i ? '、' : '',
          h('button', { type: 'button', class: 'link-button', 'data-place-id': p.id, lang: 'zh-Hans', title: `${p.name} ${p.nameEn}: show it` }, p.name),
        ]),
      ),
    ),
  );
  els.unlocated.hidden = false;
}

function isoRange(date) {
  return date.earliest === date.latest ? date.earliest : `${date.earliest} … ${date.latest}`;
}

function eventList(events, { battle = false, places = true } = {}) {
  return h(
    'ol',
    { class: 'events' },
    events.map((e) => {
      const b = state.battleById.get(e.battle.id);
      const eventPlaces = e.placeIds.map((id) => state.placeById.get(id));
      return h(
        'li',
        { 'data-event-id': e.id },
        h('span', { class: 'event-date' }, h('span', { lang: 'zh-Hans' }, e.date.text), ' ', h('span', { class: 'iso' }, isoRange(e.date))),
        h('span', { class: 'event-text', lang: 'zh-Hans' }, e.text),
        battle && b
          ? [' ', h('button', { type: 'button', class: 'link-button', 'data-battle-id': b.id, lang: 'zh-Hans', title: `${b.name} ${b.nameEn}: show it` }, `（${b.name}）`)]
          : null,
        places && eventPlaces.length
          ? h(
              'span',
              { class: 'event-places' },
              eventPlaces.map((p, i) => [
                i ? '、' : '',
                h('button', { type: 'button', class: 'link-button', 'data-place-id': p.id, lang: 'zh-Hans', title: `${p.name} ${p.nameEn}: show it` }, p.name),
              ]),
            )
          : null,
      );
    }),
  );
}

// ---- selection and the details panel ----------------------------------------------------

function select(kind, id, options = {}) {
  const item = kind === 'place' ? state.placeById.get(id) : state.battleById.get(id);
  if (!item) return;
  if (options.from) state.returnFocus = options.from;
  state.selection = { kind, id };
  if (kind === 'place') {
    renderPlace(item);
    setRovingFocus(id);
  } else {
    renderBattle(item);
  }
  applySelection();
  markSelectedChips();
  writeHash();
  if (options.reveal !== false) {
    reveal(kind === 'place' ? [id] : item.placeIds);
    revealDetails();
  }
}

function closeDetails() {
  if (!state.selection) return;
  state.selection = null;
  els.details.style.removeProperty('--phase-color');
  els.details.replaceChildren(
    h('p', { class: 'details-empty', lang: 'en' }, 'Select a place on the map or a battle in the list (click it, or focus it with Tab and press Enter) to see its details here.'),
  );
  els.details.removeAttribute('aria-labelledby');
  els.details.setAttribute('aria-label', 'Details');
  applySelection();
  markSelectedChips();
  writeHash();
  const back = state.returnFocus;
  state.returnFocus = null;
  if (back && back.isConnected) back.focus({ preventScroll: true });
}

function applySelection() {
  if (!els.svg) return;
  const sel = state.selection;
  const battle = sel && sel.kind === 'battle' ? state.battleById.get(sel.id) : null;
  const members = new Set(battle ? battle.placeIds : []);
  els.svg.classList.toggle('has-selection', Boolean(battle));
  const color = battle ? state.phaseColor.get(battle.phase.id) : null;
  for (const g of els.placesLayer.children) {
    const id = g.getAttribute('data-place-id');
    g.classList.toggle('member', members.has(id));
    g.classList.toggle('selected', Boolean(sel && sel.kind === 'place' && sel.id === id));
    g.setAttribute('aria-pressed', sel && sel.kind === 'place' && sel.id === id ? 'true' : 'false');
    if (color) g.style.setProperty('--member-color', color);
    else g.style.removeProperty('--member-color');
  }
  for (const el of els.svg.querySelectorAll('.link, .hub')) el.classList.toggle('selected', Boolean(battle && el.getAttribute('data-battle-id') === battle.id));
  // Members on top, so that a selected battle's places are seen (moving an
  // element takes its focus away: give it back).
  const focused = document.activeElement;
  const raise = battle ? [...battle.placeIds] : [];
  if (sel && sel.kind === 'place') raise.push(sel.id);
  for (const id of raise) {
    const g = placeElement(id);
    if (g) els.placesLayer.append(g);
  }
  if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
}

function markSelectedChips() {
  const sel = state.selection;
  for (const chip of document.querySelectorAll('.battle-chip')) {
    chip.setAttribute('aria-pressed', sel && sel.kind === 'battle' && sel.id === chip.getAttribute('data-battle-id') ? 'true' : 'false');
  }
}

function scrollBehavior() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}

function revealDetails() {
  els.details.scrollTop = 0;
  const rect = els.details.getBoundingClientRect();
  const vh = window.innerHeight;
  const shown = Math.min(rect.bottom, vh) - Math.max(rect.top, 0);
  if (rect.top >= 0 && shown >= Math.min(rect.height, 0.6 * vh) - 1) return;
  els.details.scrollIntoView({ block: 'start', behavior: scrollBehavior() });
}

function closeButton() {
  return h('button', { type: 'button', class: 'button close', 'aria-label': 'Close the details (Escape)', title: 'Close (Escape)', lang: 'en' }, '×');
}

function formatQuantity(q) {
  if (!q) return h('span', { class: 'none', lang: 'en' }, 'not given');
  const value = `${QUALIFIERS[q.qualifier] || ''}${q.value.toLocaleString('en-US')}`;
  return [h('span', { class: 'figure-text', lang: 'zh-Hans' }, q.text), h('span', { class: 'figure-value', lang: 'en' }, value)];
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

function formatCoordinate(value, positive, negative) {
  return `${Math.abs(value).toFixed(2)}°${value >= 0 ? positive : negative}`;
}

function renderPlace(place) {
  const details = els.details;
  details.style.removeProperty('--phase-color');
  const [kindZh, kindEn] = PLACE_KINDS[place.kind] || [place.kind, place.kind.toLowerCase()];
  const battles = place.battleIds.map((id) => state.battleById.get(id)).sort((a, b) => a.t0 - b.t0 || a.ordinal - b.ordinal);
  const events = place.eventIds.map((id) => state.eventById.get(id)).sort((a, b) => a.t0 - b.t0 || a.t1 - b.t1);
  const loc = place.location;
  details.replaceChildren(
    closeButton(),
    h('h2', { id: 'details-heading' }, bilingual(place.name, place.nameEn)),
    h('p', { class: 'meta' }, h('span', { lang: 'zh-Hans' }, kindZh), ' ', h('span', { lang: 'en' }, kindEn), ' · ', h('span', { lang: 'en' }, `named by ${battles.length} ${battles.length === 1 ? 'battle' : 'battles'}`)),
    loc
      ? h(
          'p',
          { class: 'location', lang: 'en' },
          h('span', { class: 'iso' }, `${formatCoordinate(loc.latitude, 'N', 'S')} ${formatCoordinate(loc.longitude, 'E', 'W')}`),
          ` ± ${loc.uncertaintyKm.toLocaleString('en-US')} km`,
          h('span', { class: 'source' }, `Source: ${loc.source}`),
        )
      : h('p', { class: 'location none', lang: 'en' }, 'No gazetteer places it: it is not drawn on the map.'),
    h('h3', null, '战役 ', h('span', { class: 'en', lang: 'en' }, 'Battles whose text names it')),
    battles.length
      ? h(
          'ul',
          { class: 'place-battles' },
          battles.map((b) =>
            h('li', null, battleChip(b), h('span', { class: 'battle-dates' }, h('span', { lang: 'zh-Hans' }, `${b.start.text} – ${b.end.text}`), ' · ', h('span', { lang: 'en' }, b.nameEn))),
          ),
        )
      : h('p', { class: 'none', lang: 'en' }, 'No battle names it.'),
    h('h3', null, '事件 ', h('span', { class: 'en', lang: 'en' }, 'Events there')),
    events.length ? eventList(events, { battle: true, places: false }) : h('p', { class: 'none', lang: 'en' }, 'The narratives date no event here.'),
  );
  details.setAttribute('aria-labelledby', 'details-heading');
  details.removeAttribute('aria-label');
}

function renderBattle(battle) {
  const color = state.phaseColor.get(battle.phase.id);
  const days = Math.round((battle.t1 - battle.t0) / DAY_MS) + 1;
  const details = els.details;
  details.style.setProperty('--phase-color', color);

  const dates = h(
    'dl',
    { class: 'dates' },
    h('dt', null, '日期 ', h('span', { lang: 'en' }, 'Dates')),
    h('dd', null, h('span', { lang: 'zh-Hans' }, `${battle.start.text} – ${battle.end.text}`)),
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
          return h(
            'li',
            null,
            h('span', { class: 'commander-name' }, bilingual(commander.name, commander.nameEn)),
            commander.belligerent ? h('span', { class: 'belligerent-tag', lang: 'en' }, commander.belligerent.nameEn) : null,
            killed ? h('span', { class: 'kia', lang: 'en' }, 'killed in action') : null,
            info,
          );
        }),
      )
    : h('p', { class: 'none', lang: 'en' }, 'The source names no commanders for this battle.');

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
              h('li', null, bilingual(force.name, force.nameEn), h('span', { class: 'kind', lang: 'en' }, FORCE_KINDS[force.kind] || force.kind.toLowerCase())),
            ),
          ),
        ),
      )
    : h('p', { class: 'none', lang: 'en' }, 'The source names no forces for this battle.');

  const places = battle.placeIds.map((id) => state.placeById.get(id)).filter(Boolean);
  const events = battle.eventIds.map((id) => state.eventById.get(id)).filter(Boolean);
  const unlocated = places.filter((p) => !p.location).length;

  const phaseSwatch = swatch(color);
  details.replaceChildren(
    closeButton(),
    h('h2', { id: 'details-heading' }, bilingual(battle.name, battle.nameEn)),
    h(
      'p',
      { class: 'meta' },
      h('span', { lang: 'en' }, `No. ${battle.ordinal} of ${state.battles.length}`),
      ' · ',
      h('span', { class: 'phase-tag' }, phaseSwatch, bilingual(battle.phase.name, battle.phase.nameEn)),
    ),
    h('a', { class: 'cross-link', href: `/timeline#${battle.ordinal}`, lang: 'en' }, h('span', { lang: 'zh-Hans' }, '在时间轴上'), ' On the timeline →'),
    dates,
    h('h3', null, '地点 ', h('span', { class: 'en', lang: 'en' }, `Places its text names (${places.length}${unlocated ? `, ${unlocated} not on the map` : ''})`)),
    places.length ? h('ul', { class: 'places-list' }, places.map((p) => h('li', null, placeChip(p)))) : h('p', { class: 'none', lang: 'en' }, 'Its text names no place.'),
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
    h('h3', null, '事件 ', h('span', { class: 'en', lang: 'en' }, 'Events, as the narrative tells them')),
    events.length ? eventList(events) : h('p', { class: 'none', lang: 'en' }, 'The narrative dates no event.'),
  );
  details.setAttribute('aria-labelledby', 'details-heading');
  details.removeAttribute('aria-label');
}

// ---- the address: #battle=8, #battle=<ID>, #place=<ID>, &month=1938-04 ----------------

function writeHash() {
  const parts = [];
  const sel = state.selection;
  if (sel && sel.kind === 'battle') parts.push(`battle=${state.battleById.get(sel.id).ordinal}`);
  if (sel && sel.kind === 'place') parts.push(`place=${encodeURIComponent(sel.id)}`);
  if (state.month !== null) parts.push(`month=${monthKey(state.month)}`);
  const hash = parts.length ? `#${parts.join('&')}` : '';
  if (location.hash !== hash) history.replaceState(null, '', hash || location.pathname + location.search);
}

function applyHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const month = params.get('month');
  if (month && /^\d{4}-\d{2}$/.test(month)) {
    const [y, m] = month.split('-').map(Number);
    const index = (y - FIRST_YEAR) * 12 + m - 1;
    if (index >= 0 && index < MONTHS) setMonth(index, { hash: false });
  }
  const battle = params.get('battle');
  if (battle) {
    const b = /^\d+$/.test(battle) ? state.battleByOrdinal.get(Number(battle)) : state.battleById.get(battle);
    if (b) select('battle', b.id, { reveal: false });
  }
  const place = params.get('place');
  if (place && state.placeById.has(place)) select('place', place, { reveal: false });
}

// ---- keyboard on the map ---------------------------------------------------------------------

/** The nearest place from `from` in a direction (dx, dy), on screen. */
function nearestInDirection(from, dx, dy) {
  const [fx, fy] = screen(from.xy);
  let best = null;
  let bestScore = Infinity;
  for (const p of state.located) {
    if (p === from) continue;
    const [x, y] = screen(p.xy);
    const along = (x - fx) * dx + (y - fy) * dy;
    if (along <= 0.5) continue;
    const across = Math.abs((x - fx) * dy - (y - fy) * dx);
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = p;
    }
  }
  return best;
}

function focusPlace(place) {
  setRovingFocus(place.id);
  const [x, y] = screen(place.xy);
  const { width, height } = state.size;
  if (x < 0 || x > width || y < 0 || y > height) {
    state.zoom.x += width / 2 - x;
    state.zoom.y += height / 2 - y;
    clampZoom();
    applyZoom();
  }
  placeElement(place.id)?.focus();
}

function onMapKeydown(event) {
  const g = event.target.closest && event.target.closest('.place');
  if (event.key === '+' || event.key === '=') {
    zoomAt(1.6, state.size.width / 2, state.size.height / 2);
    event.preventDefault();
    return;
  }
  if (event.key === '-' || event.key === '_') {
    zoomAt(1 / 1.6, state.size.width / 2, state.size.height / 2);
    event.preventDefault();
    return;
  }
  if (event.key === '0') {
    resetZoom();
    event.preventDefault();
    return;
  }
  if (!g) return;
  const place = state.placeById.get(g.getAttribute('data-place-id'));
  if (event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar') {
    event.preventDefault();
    select('place', place.id, { from: g });
    return;
  }
  const directions = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
  let next = null;
  if (directions[event.key]) next = nearestInDirection(place, ...directions[event.key]);
  else if (event.key === 'Home') next = state.located[0];
  else if (event.key === 'End') next = state.located[state.located.length - 1];
  if (directions[event.key] || event.key === 'Home' || event.key === 'End') event.preventDefault();
  if (next) focusPlace(next);
}

// ---- events -------------------------------------------------------------------------------

function onMapClick(event) {
  const g = event.target.closest('.place');
  if (!g) return;
  setRovingFocus(g.getAttribute('data-place-id'));
  select('place', g.getAttribute('data-place-id'), { from: g });
}

/** Buttons anywhere on the page that name a battle or a place. */
function onPageClick(event) {
  if (els.map.contains(event.target)) return;
  const battle = event.target.closest('[data-battle-id]');
  const place = event.target.closest('button[data-place-id]');
  const close = event.target.closest('.close');
  const from = event.target.closest('button');
  const outsidePanel = from && !els.details.contains(from) ? from : null;
  if (close) closeDetails();
  else if (place) select('place', place.getAttribute('data-place-id'), { from: outsidePanel });
  else if (battle && battle.tagName === 'BUTTON') select('battle', battle.getAttribute('data-battle-id'), { from: outsidePanel });
}

function init() {
  els.map = document.getElementById('map');
  els.status = document.getElementById('status');
  els.error = document.getElementById('error');
  els.details = document.getElementById('details');
  els.slider = document.getElementById('month');
  els.monthOutput = document.getElementById('month-output');
  els.allTime = document.getElementById('all-time');
  els.play = document.getElementById('play');
  els.phaseMarks = document.getElementById('phase-marks');
  els.yearTicks = document.getElementById('year-ticks');
  els.monthSummary = document.getElementById('month-summary');
  els.timeStatus = document.getElementById('time-status');
  els.battleList = document.getElementById('battle-list');
  els.unlocated = document.getElementById('unlocated');

  els.slider.max = String(MONTHS - 1);
  els.slider.value = String(DEFAULT_MONTH);
  els.slider.addEventListener('input', () => {
    stopPlaying();
    setMonth(Number(els.slider.value));
  });
  els.allTime.addEventListener('click', () => {
    if (state.month === null) setMonth(state.sliderValue);
    else setWholeWar();
  });
  els.play.addEventListener('click', () => (state.playing ? stopPlaying() : startPlaying()));
  els.phaseMarks.addEventListener('click', (event) => {
    const mark = event.target.closest('.phase-mark');
    if (!mark) return;
    stopPlaying();
    setMonth(state.phaseSpan.get(mark.getAttribute('data-phase-id'))[0]);
  });
  els.map.addEventListener('click', onMapClick);
  els.map.addEventListener('keydown', onMapKeydown);
  document.querySelector('.zoom-controls').addEventListener('click', onZoomButton);
  document.addEventListener('click', onPageClick);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      if (state.playing) stopPlaying();
      else closeDetails();
    }
  });
  window.addEventListener('hashchange', () => {
    if (state.battles.length) applyHash();
  });
  installPan();

  let pending = 0;
  const redraw = () => {
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      if (state.topo) draw(false);
    });
  };
  if ('ResizeObserver' in window) new ResizeObserver(redraw).observe(els.map);
  window.addEventListener('resize', redraw);

  renderTimeControlsEmpty();
  load();
}

function renderTimeControlsEmpty() {
  const text = monthText(DEFAULT_MONTH);
  els.monthOutput.textContent = `${text.zh} ${text.en}`;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
