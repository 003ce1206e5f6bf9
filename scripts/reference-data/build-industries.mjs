#!/usr/bin/env node
// Regenerates data/reference/industries.json (国民经济行业分类 GB/T 4754-2017 with its
// amendment No. 1 of 2019, all four levels) from the npm package
// `element-china-category-data` (pinned in package.json).
//
//   cd scripts/reference-data && npm ci && node build-industries.mjs
//   node build-industries.mjs --verify   # rebuild in memory, fail if the file differs
//
// Output: a JSON array, one object per line, each object exactly
//   {"code":"397","name":"电子器件制造","level":"group","parent":"39"}
// in the order of the standard's table: each section, then for each of its
// divisions the division, then for each of its groups the group followed by
// its classes (a pre-order walk, children sorted by code).
//
// Source: the package's `src/data.js`, a single object literal
//   { "0": { "A": "农、林、牧、渔业", … },   // sections
//     "A": { "01": "农业", … },              // divisions of a section
//     "01": { "011": "谷物种植", … },        // groups of a division
//     "011": { "0111": "稻谷种植", … }, … }  // classes of a group
// read as JSON (it is not executed).
//
// Conversion rules (see data/reference/README.md for the reasoning):
//   * levels: letter -> section, 2 digits -> division, 3 -> group, 4 -> class;
//     parent = the key of the object the entry is listed in ("0" -> null).
//   * A group the standard does not subdivide has ONE class in the standard's
//     table, coded group + "0" with the group's name (e.g. 019 其他农业 ->
//     0190 其他农业). The package lists no class for such groups; the build adds
//     that class row.
//   * Names: surrounding spaces removed; ASCII "(" ")" replaced by the
//     full-width "（" "）" that the standard uses (the package mixes both).
//   * CORRECTIONS below: five entries where the package differs from the
//     standard. Each one states what the package has; if a new package version
//     no longer has it, the build stops so that the correction is reviewed.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG_NAME = 'element-china-category-data';
const PKG_DIR = join(HERE, 'node_modules', PKG_NAME);
const OUT = join(HERE, '..', '..', 'data', 'reference', 'industries.json');

// GB/T 4754-2017 with amendment No. 1: 20 sections, 97 divisions, 473 groups, 1,382 classes.
const EXPECTED = { section: 20, division: 97, group: 473, class: 1382 };

// Where element-china-category-data 1.0.4 differs from the standard. Every entry was
// cross-checked against independent copies of the standard's table (see README).
const CORRECTIONS = [
  {
    // The package codes this class 2038; the standard's code is 2039 (the last
    // class of group 203, "其他" classes end in 9).
    kind: 'recode',
    code: '2038',
    to: '2039',
    name: '软木制品及其他木制品制造',
  },
  {
    // Group 403 is missing from the package (division 40 lists 401, 402, 404, 405,
    // 409). The standard does not subdivide it, so class 4030 follows by the rule above.
    kind: 'add',
    code: '403',
    name: '钟表与计时仪器制造',
    parent: '40',
    before: '404',
  },
  { kind: 'rename', code: '3445', from: '液力动力机械及元件制造', to: '液力动力机械元件制造' },
  { kind: 'rename', code: '7289', from: '其他会议、展览及相关服务', to: '其他会议、会展及相关服务' },
  { kind: 'rename', code: '96', from: '基层群众自治组织', to: '基层群众自治组织及其他组织' },
];

const LEVEL_BY_LENGTH = { 1: 'section', 2: 'division', 3: 'group', 4: 'class' };

function fail(msg) {
  console.error(`build-industries: ${msg}`);
  process.exit(1);
}

function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}

function load() {
  let pkg;
  try {
    pkg = readJson(join(PKG_DIR, 'package.json'));
  } catch {
    fail(`node_modules/${PKG_NAME} not found: run \`npm ci\` in scripts/reference-data first`);
  }
  const pinned = readJson(join(HERE, 'package.json')).devDependencies[PKG_NAME];
  if (pkg.version !== pinned) fail(`installed ${PKG_NAME} ${pkg.version} != pinned ${pinned}; run \`npm ci\``);

  const text = readFileSync(join(PKG_DIR, 'src', 'data.js'), 'utf8');
  const m = text.match(/^\s*module\.exports\s*=\s*(\{[\s\S]*\})\s*;?\s*$/);
  if (!m) fail('src/data.js is no longer a single `module.exports = {…}` literal; review the build');
  let data;
  try {
    data = JSON.parse(m[1]);
  } catch (e) {
    fail(`src/data.js literal is not JSON: ${e.message}`);
  }
  // JSON.parse keeps the last of duplicate keys silently: count the entries in the text too.
  const entriesInText = (m[1].match(/"[^"]*"\s*:\s*"[^"]*"/g) ?? []).length;
  const entriesParsed = Object.values(data).reduce((n, o) => n + Object.keys(o).length, 0);
  if (entriesInText !== entriesParsed) fail(`src/data.js has duplicate keys (${entriesInText} entries, ${entriesParsed} distinct)`);
  return { version: pkg.version, data };
}

function cleanName(code, raw) {
  if (typeof raw !== 'string') fail(`${code}: name is not a string`);
  const name = raw.trim().replace(/\(/g, '（').replace(/\)/g, '）');
  if (name === '' || /[\s,;:()[\]]/.test(name)) fail(`${code}: unexpected name ${JSON.stringify(raw)}`);
  return name;
}

function build(src) {
  // code -> { code, name, level, parent }
  const nodes = new Map();
  for (const [parentKey, entries] of Object.entries(src.data)) {
    if (entries === null || typeof entries !== 'object') fail(`${parentKey}: not an object`);
    const parent = parentKey === '0' ? null : parentKey;
    for (const [code, raw] of Object.entries(entries)) {
      const level = LEVEL_BY_LENGTH[code.length];
      const shape = { section: /^[A-T]$/, division: /^\d{2}$/, group: /^\d{3}$/, class: /^\d{4}$/ }[level];
      if (!shape?.test(code)) fail(`unexpected code ${JSON.stringify(code)} under ${parentKey}`);
      const parentLevel = parent === null ? null : LEVEL_BY_LENGTH[parent.length];
      const wantParent = { section: null, division: 'section', group: 'division', class: 'group' }[level];
      if (parentLevel !== wantParent) fail(`${code} (${level}) listed under ${parentKey}`);
      if ((level === 'group' || level === 'class') && !code.startsWith(parent)) fail(`${code} does not start with its parent ${parent}`);
      if (nodes.has(code)) fail(`${code} listed twice`);
      nodes.set(code, { code, name: cleanName(code, raw), level, parent });
    }
  }

  for (const c of CORRECTIONS) {
    const node = nodes.get(c.code);
    if (c.kind === 'recode') {
      if (!node || node.name !== c.name || nodes.has(c.to)) fail(`correction ${c.code} -> ${c.to} no longer applies; review CORRECTIONS`);
      nodes.delete(c.code);
      nodes.set(c.to, { ...node, code: c.to });
    } else if (c.kind === 'add') {
      if (node || !nodes.has(c.parent) || !nodes.has(c.before)) fail(`correction: adding ${c.code} no longer applies; review CORRECTIONS`);
      nodes.set(c.code, { code: c.code, name: c.name, level: LEVEL_BY_LENGTH[c.code.length], parent: c.parent });
    } else if (c.kind === 'rename') {
      if (!node || node.name !== c.from) fail(`correction: ${c.code} is no longer named ${c.from}; review CORRECTIONS`);
      node.name = c.to;
    } else {
      fail(`unknown correction kind ${c.kind}`);
    }
  }

  for (const n of nodes.values()) {
    if (n.parent !== null && !nodes.has(n.parent)) fail(`${n.code} has missing parent ${n.parent}`);
  }
  const children = new Map();
  for (const n of nodes.values()) {
    if (!children.has(n.parent)) children.set(n.parent, []);
    children.get(n.parent).push(n);
  }

  // Groups the standard does not subdivide: one class, group code + "0", same name.
  for (const n of [...nodes.values()]) {
    if (n.level !== 'group' || children.has(n.code)) continue;
    const code = `${n.code}0`;
    if (nodes.has(code)) fail(`${code} already exists`);
    const cls = { code, name: n.name, level: 'class', parent: n.code };
    nodes.set(code, cls);
    children.set(n.code, [cls]);
  }
  for (const n of nodes.values()) {
    if (n.level !== 'class' && !children.has(n.code)) fail(`${n.code} (${n.level}) has no children`);
  }

  const rows = [];
  const walk = (parent) => {
    const list = [...(children.get(parent) ?? [])].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
    for (const n of list) {
      rows.push({ code: n.code, name: n.name, level: n.level, parent: n.parent });
      walk(n.code);
    }
  };
  walk(null);
  if (rows.length !== nodes.size) fail('some rows are not reachable from a section');
  return rows;
}

function serialize(rows) {
  return `[\n${rows.map((r) => JSON.stringify({ code: r.code, name: r.name, level: r.level, parent: r.parent })).join(',\n')}\n]\n`;
}

const src = load();
const rows = build(src);
const counts = {};
for (const r of rows) counts[r.level] = (counts[r.level] ?? 0) + 1;
for (const [level, n] of Object.entries(EXPECTED)) {
  if (counts[level] !== n) fail(`expected ${n} ${level} rows, built ${counts[level] ?? 0}; review the package and the rules`);
}
const text = serialize(rows);

if (process.argv.includes('--verify')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    fail(`${OUT} missing`);
  }
  if (current !== text) fail('industries.json differs from a fresh build; run `node build-industries.mjs`');
  console.log(`industries.json is up to date (${PKG_NAME} ${src.version}, ${rows.length} rows)`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
  console.log(`${PKG_NAME} ${src.version}: ${rows.length} rows`, counts);
}
