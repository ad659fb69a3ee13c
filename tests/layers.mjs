// Checks that the service's layers point one way and that no modules
// include each other in a cycle. Layers, from the top:
//   4 entry        main.c
//   3 composition  routes.c/.h (the route table)
//   2 resources    register/, chain/, incidents/, webhooks/, questionnaires/, assessments/, mail/, negotiations/, overview/, api_keys, tenants, audit/events
//   1 platform     http/, db/, json/, audit/trail, app.h
//   0 core         core/, util/, i18n/, config, embedded.h
// A file may include headers of its own layer or below. A module is a
// directory (or a top-level file pair) within one layer; the graph of
// modules including each other's headers must have no cycle.
//
//   node tests/layers.mjs            (from the repository root; exit 1 on a violation)
import fs from 'node:fs';
import path from 'node:path';

const LAYERS = [
  [4, /^main\.c$/],
  [3, /^routes\.[ch]$/],
  [2, /^(register|chain|incidents|webhooks|questionnaires|assessments|mail|negotiations|overview)\//],
  [2, /^(api_keys|tenants)\.[ch]$/],
  [2, /^audit\/events\.[ch]$/],
  [1, /^(http|db|json)\//],
  [1, /^audit\/trail\.[ch]$/],
  [1, /^app\.h$/],
  [0, /^(core|util|i18n)\//],
  [0, /^(config\.[ch]|embedded\.h)$/],
];
const NAMES = ['core', 'platform', 'resources', 'composition', 'entry'];

function layerOf(rel) {
  for (const [n, re] of LAYERS) if (re.test(rel)) return n;
  return null;
}

function moduleOf(rel) {
  const dir = path.dirname(rel);
  const base = dir === '.' ? rel.replace(/\.[ch]$/, '') : dir;
  return `${base}@${layerOf(rel)}`;
}

const root = 'service';
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.[ch]$/.test(e.name)) files.push(path.relative(root, p));
  }
})(root);

const problems = [];
const edges = new Map();
for (const f of files) {
  const lf = layerOf(f);
  if (lf === null) {
    problems.push(`${f}: in no layer (add it to tests/layers.mjs)`);
    continue;
  }
  const src = fs.readFileSync(path.join(root, f), 'utf8');
  for (const m of src.matchAll(/^#include "([^"]+)"/gm)) {
    const inc = m[1];
    if (!fs.existsSync(path.join(root, inc))) continue;   // generated (embedded.c's header is in the tree)
    const li = layerOf(inc);
    if (li === null) {
      problems.push(`${f}: includes ${inc}, which is in no layer`);
      continue;
    }
    if (li > lf) problems.push(`${f} (${NAMES[lf]}) includes ${inc} (${NAMES[li]}), a layer above it`);
    const a = moduleOf(f), b = moduleOf(inc);
    if (a !== b) {
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a).add(b);
    }
  }
}

// Cycles among modules: depth-first search with colours.
const colour = new Map();
const stack = [];
function visit(m) {
  colour.set(m, 1);
  stack.push(m);
  for (const n of edges.get(m) || []) {
    if (colour.get(n) === 1) problems.push(`include cycle: ${[...stack.slice(stack.indexOf(n)), n].join(' -> ')}`);
    else if (!colour.get(n)) visit(n);
  }
  stack.pop();
  colour.set(m, 2);
}
for (const m of edges.keys()) if (!colour.get(m)) visit(m);

if (problems.length) {
  console.log(`layers: ${problems.length} problems`);
  for (const p of problems) console.log('  ' + p);
  process.exit(1);
}
console.log(`layers: ${files.length} files in ${new Set(files.map(moduleOf)).size} modules; every include points down or sideways, no cycle`);
