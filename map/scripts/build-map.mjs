// Builds the /map page into ../static/map/:
//   basemap.json  Natural Earth 1:50m countries (npm world-atlas), clipped to
//                 the theatre of war and re-encoded as quantized TopoJSON
//   map.js        src/map.js bundled with d3-geo and topojson-client (esbuild)
//   map.css, index.html   copied from src/
//   LICENSES.txt  the licences of what the bundle and the basemap contain
// The output is emptied first and is deterministic (same lock file, same bytes).
import { readFileSync, writeFileSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { feature } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify, quantile } from 'topojson-simplify';
import { geoIdentity, geoArea } from 'd3-geo';
import { geoProject } from 'd3-geo-projection';
import { CLIP } from '../src/theatre.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const out = join(root, '..', 'static', 'map');
const pkgDir = (name) => join(root, 'node_modules', name);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// ---- basemap ----------------------------------------------------------------
const world = JSON.parse(readFileSync(join(pkgDir('world-atlas'), 'countries-50m.json'), 'utf8'));
const countries = feature(world, world.objects.countries);
// Clip in longitude/latitude: a planar identity "projection" whose clip
// extent is the theatre's box (x = longitude, y = latitude, no reflection).
const clipper = geoIdentity().clipExtent([[CLIP.west, CLIP.south], [CLIP.east, CLIP.north]]);
const kept = [];
// The planar clip leaves rings wound the planar way; d3-geo reads a ring as
// spherical, where that order means "everything but the country". Turn each
// polygon whose area exceeds a hemisphere around.
function rewind(geometry) {
  const fix = (polygon) => (geoArea({ type: 'Polygon', coordinates: polygon }) > 2 * Math.PI ? polygon.map((ring) => [...ring].reverse()) : polygon);
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: fix(geometry.coordinates) };
  return { type: 'MultiPolygon', coordinates: geometry.coordinates.map(fix) };
}
for (const f of countries.features) {
  const clipped = geoProject({ type: 'Feature', properties: {}, geometry: f.geometry }, clipper);
  if (!clipped || !clipped.geometry || !clipped.geometry.coordinates || clipped.geometry.coordinates.length === 0) continue;
  kept.push({ type: 'Feature', id: f.id, properties: { name: f.properties.name }, geometry: rewind(clipped.geometry) });
}
kept.sort((a, b) => String(a.id).localeCompare(String(b.id)) || a.properties.name.localeCompare(b.properties.name));
let topo = topology({ countries: { type: 'FeatureCollection', features: kept } }, 1e5);
topo = presimplify(topo);
topo = simplify(topo, quantile(topo, 0.35));
// Quantize once more after simplification to shorten the delta-encoded arcs.
const { quantize } = await import('topojson-client');
topo = quantize(topo, 2e4);
writeFileSync(join(out, 'basemap.json'), JSON.stringify(topo));

// ---- script, styles, page ---------------------------------------------------
const result = await esbuild.build({
  entryPoints: [join(root, 'src', 'map.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  charset: 'utf8',
  legalComments: 'none',
  outfile: join(out, 'map.js'),
  metafile: true,
  logLevel: 'warning',
});
copyFileSync(join(root, 'src', 'map.css'), join(out, 'map.css'));
copyFileSync(join(root, 'src', 'index.html'), join(out, 'index.html'));

const licences = [
  ['world-atlas (the basemap: Natural Earth 1:50m countries, public domain)', 'world-atlas'],
  ['d3-geo (bundled in map.js)', 'd3-geo'],
  ['d3-array (bundled in map.js, through d3-geo)', 'd3-array'],
  ['topojson-client (bundled in map.js)', 'topojson-client'],
];
writeFileSync(
  join(out, 'LICENSES.txt'),
  licences
    .map(([what, name]) => {
      const version = JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version;
      return `${what}: ${name} ${version}\n\n${readFileSync(join(pkgDir(name), 'LICENSE'), 'utf8').trim()}\n`;
    })
    .join('\n----------------------------------------------------------------------\n\n') +
    '\n----------------------------------------------------------------------\n\nNatural Earth: "All versions of Natural Earth raster + vector map data found on\nthis website are in the public domain." (naturalearthdata.com/about/terms-of-use)\n',
);

for (const file of ['basemap.json', 'map.js', 'map.css', 'index.html']) {
  console.log(`static/map/${file}: ${readFileSync(join(out, file)).length} bytes`);
}
console.log(`basemap: ${kept.length} countries clipped to ${JSON.stringify(CLIP)}`);
