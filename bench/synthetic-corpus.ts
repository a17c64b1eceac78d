/**
 * A synthetic Chinese report collection of a chosen size, generated
 * deterministically (seeded PRNG) from real sentences: the seed reports and,
 * when present, the gov-reports corpus, read in place. Each synthetic report
 * gets an invented place (its name replaces the source's place names), a kind
 * and year, headings drawn from the sources, and paragraphs whose sentence
 * counts follow the sources'; sentences are recombined (two half-sentences
 * joined at a comma) and varied (every figure redrawn with the same shape), so
 * the text looks like a real report to the tokenizer, the embedder and BM25
 * without repeating the sources verbatim.
 *
 * Pure parts (`buildSentencePool`, `generateReports`, `generateQuestions`)
 * take everything as arguments; only `loadSourceTexts` and `writeCorpus` touch
 * the disk.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chunkReport, embeddingText } from '../src/ingest/chunk.js';
import { headingMarker } from '../src/ingest/line-kinds.js';
import { splitSentences } from '../src/text/sentences.js';
import type { Report } from '../src/types.js';
import { seededRandom } from '../test/helpers/random-vectors.js';

/** Bump whenever the generator's output for the same inputs changes: cached corpora and indexes are keyed by it. */
export const SYNTHETIC_CORPUS_VERSION = 1;

/** Stands for the source's place name inside pooled sentences; replaced by the synthetic report's place. */
const PLACE = '\uE000';

/** A source document: its text and the place names it mentions (replaced in the synthetic reports). */
export interface SourceText {
  readonly name: string;
  readonly text: string;
  /** Place names as written (罗星街道, 三门峡市); their stems (罗星, 三门峡) are replaced too. */
  readonly places: readonly string[];
}

export interface SentencePool {
  /** Sentences of 8–200 characters, place names replaced by a placeholder. */
  readonly sentences: readonly string[];
  /** Heading lines (一、… （一）…) of at most 30 characters. */
  readonly headings: readonly string[];
  /** Sentences per text paragraph, one entry per source paragraph (sampled for realistic lengths). */
  readonly paragraphSentences: readonly number[];
  /** Text paragraphs per source document. */
  readonly documentParagraphs: readonly number[];
  /** Han characters that place names are drawn from. */
  readonly placeChars: string;
  /** sha256 of the sources, for cache keys. */
  readonly fingerprint: string;
}

const KINDS = ['政府工作报告', '工作总结', '统计公报', '预算执行报告'] as const;
type Kind = (typeof KINDS)[number];

/** One synthetic report, ready to be written as a .txt file. */
export interface SyntheticReport {
  /** Path relative to the corpus folder (`<kind>/<nnnnn>_<place>_<year>.txt`). */
  readonly file: string;
  readonly title: string;
  readonly date: string;
  readonly region: string;
  /** The place's name as used in the text (罗星街道). */
  readonly place: string;
  readonly kind: Kind;
  /** Paragraphs in order; headings are the ones `headingMarker` recognises. */
  readonly paragraphs: readonly string[];
  /** Chunks the real chunker makes of it (headings give none). */
  readonly chunks: number;
}

export interface GenerateOptions {
  /** Stop once the reports hold at least this many chunks. */
  readonly chunks: number;
  readonly seed: number;
}

const SUFFIXES = ['特别行政区', '自治区', '自治州', '街道', '省', '市', '县', '区', '镇', '州'];
const MIN_SENTENCE = 8;
const MAX_SENTENCE = 200;
const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Reads the seed reports (with their reports.json regions) and, if given, the
 * gov-reports corpus (with manifest.jsonl places), leaving out its Party
 * congress reports and reports from before 2000, whose language is unlike
 * today's local reports.
 */
export async function loadSourceTexts(seedsDir: string, corpusDir?: string): Promise<SourceText[]> {
  const out: SourceText[] = [];
  const seedMeta = JSON.parse(await fs.readFile(path.join(seedsDir, 'reports.json'), 'utf8')) as Record<string, { region?: string }>;
  for (const name of (await fs.readdir(seedsDir)).filter((n) => n.endsWith('.txt')).sort()) {
    const region = seedMeta[name]?.region ?? '';
    out.push({ name: `seeds/${name}`, text: await fs.readFile(path.join(seedsDir, name), 'utf8'), places: regionParts(region) });
  }
  if (corpusDir === undefined) return out;
  const places = new Map<string, string>();
  for (const line of (await fs.readFile(path.join(corpusDir, 'manifest.jsonl'), 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { file?: string; place?: string; kind?: string; year?: number };
    if (entry.kind === '党代会报告' || (entry.year ?? 0) < 2000) continue;
    if (entry.file !== undefined && entry.place !== undefined) places.set(entry.file, entry.place);
  }
  for (const name of (await fs.readdir(corpusDir)).filter((n) => n.endsWith('.txt')).sort()) {
    const place = places.get(name);
    if (place === undefined) continue;
    out.push({ name: `corpus/${name}`, text: await fs.readFile(path.join(corpusDir, name), 'utf8'), places: [place] });
  }
  return out;
}

/** 嘉兴市嘉善县罗星街道 → 嘉兴市, 嘉善县, 罗星街道. */
function regionParts(region: string): string[] {
  return region.match(/.{2,}?(?:街道|省|市|县|区|镇)/gu) ?? [];
}

/** The place name without its administrative suffix (三门峡市 → 三门峡), if at least 2 characters remain. */
function placeStem(place: string): string | undefined {
  const suffix = SUFFIXES.find((s) => place.endsWith(s));
  const stem = suffix === undefined ? place : place.slice(0, -suffix.length);
  return stem.length >= 2 ? stem : undefined;
}

/** Splits the sources into the pools the generator samples from. Pure. */
export function buildSentencePool(sources: readonly SourceText[]): SentencePool {
  const sentences: string[] = [];
  const headings = new Set<string>();
  const paragraphSentences: number[] = [];
  const documentParagraphs: number[] = [];
  const placeChars = new Set<string>();
  const hash = createHash('sha256');
  for (const source of sources) {
    hash.update(source.name).update('\0').update(source.text).update('\0').update(source.places.join(',')).update('\0');
    const stems = source.places.flatMap((p) => [p, placeStem(p)].filter((s): s is string => s !== undefined));
    for (const stem of stems) for (const ch of placeStem(stem) ?? stem) placeChars.add(ch);
    // Longest first, so 三门峡市 is replaced before 三门峡.
    const replaceable = [...new Set(stems)].sort((a, b) => b.length - a.length);
    let paragraphs = 0;
    for (const rawLine of source.text.split('\n')) {
      const line = rawLine.trim();
      if (line.length === 0) continue;
      if (line.length <= 30 && headingMarker(line) !== undefined && !/[。；！？]/.test(line)) {
        headings.add(withPlaceholder(line, replaceable));
        continue;
      }
      if (line.length < 20) continue; // bylines, dates, table cells
      const found = splitSentences(line)
        .map((s) => withPlaceholder(s.text, replaceable))
        .filter((s) => s.length >= MIN_SENTENCE && s.length <= MAX_SENTENCE);
      if (found.length === 0) continue;
      sentences.push(...found);
      paragraphSentences.push(found.length);
      paragraphs++;
    }
    if (paragraphs > 0) documentParagraphs.push(paragraphs);
  }
  return {
    sentences,
    headings: [...headings],
    paragraphSentences,
    documentParagraphs,
    placeChars: [...placeChars].filter((c) => /\p{Script=Han}/u.test(c)).join(''),
    fingerprint: hash.digest('hex'),
  };
}

function withPlaceholder(text: string, places: readonly string[]): string {
  let out = text;
  for (const p of places) out = out.split(p).join(PLACE);
  return out;
}

/** Reports until `opts.chunks` chunks are reached; the same pool and seed always give the same reports. Pure. */
export function generateReports(pool: SentencePool, opts: GenerateOptions): SyntheticReport[] {
  if (pool.sentences.length === 0 || pool.paragraphSentences.length === 0 || pool.documentParagraphs.length === 0) {
    throw new Error('the sentence pool is empty: give the generator source texts with paragraphs of sentences');
  }
  const rand = seededRandom(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const placeChars = pool.placeChars.length >= 8 ? pool.placeChars : '东南西北安平宁和兴华新嘉善星湖山川江河阳泉清';
  const stem = (): string => {
    const a = pick([...placeChars]);
    let b = pick([...placeChars]);
    while (b === a) b = pick([...placeChars]);
    return a + b;
  };
  const reports: SyntheticReport[] = [];
  let total = 0;
  while (total < opts.chunks) {
    const kind = pick(KINDS);
    const year = 2018 + Math.floor(rand() * 9);
    const [province, city, county, town] = [stem(), stem(), stem(), stem()];
    const local = kind === '工作总结' ? `${town}街道` : `${city}市`;
    const region = kind === '工作总结' ? `${city}市${county}县${town}街道` : `${province}省${city}市`;
    const placeText = kind === '工作总结' ? town : city;
    const title = titleOf(kind, local, year);

    const paragraphs: string[] = [];
    const textCount = Math.max(8, Math.min(400, pick(pool.documentParagraphs)));
    let untilHeading = 0;
    for (let i = 0; i < textCount; i++) {
      if (untilHeading === 0 && pool.headings.length > 0) {
        paragraphs.push(fill(pick(pool.headings), placeText, rand));
        untilHeading = 3 + Math.floor(rand() * 6);
      }
      untilHeading = Math.max(0, untilHeading - 1);
      const n = Math.max(1, Math.min(12, pick(pool.paragraphSentences)));
      let text = '';
      for (let s = 0; s < n; s++) text += fill(sentence(pool, pick, rand), placeText, rand);
      paragraphs.push(text);
    }
    const number = String(reports.length + 1).padStart(5, '0');
    const report: Omit<SyntheticReport, 'chunks'> = {
      file: `${kind}/${number}_${local}_${year}.txt`,
      title,
      date: `${year + 1}-0${1 + Math.floor(rand() * 3)}-${String(10 + Math.floor(rand() * 18))}`,
      region,
      place: local,
      kind,
      paragraphs,
    };
    const chunks = countChunks(report);
    reports.push({ ...report, chunks });
    total += chunks;
  }
  return reports;
}

function titleOf(kind: Kind, place: string, year: number): string {
  switch (kind) {
    case '政府工作报告':
      return `${year}年${place}人民政府工作报告`;
    case '工作总结':
      return `${place}${year}年工作总结及${year + 1}年工作思路`;
    case '统计公报':
      return `${place}${year}年国民经济和社会发展统计公报`;
    case '预算执行报告':
      return `关于${place}${year}年预算执行情况和${year + 1}年预算草案的报告`;
  }
}

/** A pooled sentence, or (one time in three) the first half of one joined to the second half of another at a comma. */
function sentence(pool: SentencePool, pick: <T>(xs: readonly T[]) => T, rand: () => number): string {
  const a = pick(pool.sentences);
  if (rand() >= 1 / 3) return a;
  const b = pick(pool.sentences);
  const cutA = a.indexOf('，');
  const cutB = b.lastIndexOf('，');
  return cutA > 0 && cutB > 0 ? a.slice(0, cutA + 1) + b.slice(cutB + 1) : a;
}

/** Puts the place in, and redraws every figure with the same shape (years before 年 are kept). */
function fill(text: string, place: string, rand: () => number): string {
  return text.split(PLACE).join(place).replace(NUMBER, (num, offset: number, whole: string) => {
    if (/^(19|20)\d\d$/.test(num) && whole[offset + num.length] === '年') return num;
    return num.replace(/\d/g, (_d, i: number) => String(i === 0 && num.length > 1 && num[1] !== '.' ? 1 + Math.floor(rand() * 9) : Math.floor(rand() * 10)));
  });
}

function countChunks(report: Omit<SyntheticReport, 'chunks'>): number {
  return chunkReport(asReport(report)).length;
}

/** The report as ingestion would see it (headings told apart as the parser does for these lines). */
function asReport(report: Omit<SyntheticReport, 'chunks'>): Report {
  return {
    source: report.file,
    title: report.title,
    hash: '',
    paragraphs: report.paragraphs.map((text, i) => ({
      paragraph: i + 1,
      text,
      kind: headingMarker(text) !== undefined && text.length <= 30 ? 'heading' : 'text',
      section: [],
    })),
  };
}

/** The first `limit` chunk texts of the reports as the index embeds them (title and region line, then the chunk). */
export function chunkTexts(reports: readonly SyntheticReport[], limit: number): string[] {
  const texts: string[] = [];
  for (const report of reports) {
    const whole = asReport(report);
    for (const chunk of chunkReport(whole)) {
      if (texts.length >= limit) return texts;
      texts.push(embeddingText({ ...whole, region: report.region }, chunk));
    }
  }
  return texts;
}

/**
 * Question-like queries about the reports: a place name, a phrase cut from one
 * of its paragraphs (figures removed), and a question ending — 8 to 30
 * characters, like the seed questions. Pure.
 */
export function generateQuestions(reports: readonly SyntheticReport[], count: number, seed: number): string[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const endings = ['是多少？', '有哪些？', '情况如何？', '怎么样', '进展如何？', '是什么？', ''];
  const questions: string[] = [];
  while (questions.length < count && reports.length > 0) {
    const report = pick(reports);
    const text = pick(report.paragraphs);
    const clauses = text.split(/[，。；：、！？“”（）\s]/).filter((c) => c.length >= 4);
    if (clauses.length === 0) continue;
    const clause = pick(clauses).replace(/[\d.%％]+/g, '').slice(0, 14);
    const year = /20\d\d年/.exec(report.title)?.[0] ?? '';
    const place = rand() < 0.8 ? report.place : '';
    questions.push(`${place}${rand() < 0.3 ? year : ''}${clause}${pick(endings)}`);
  }
  return questions;
}

/** Writes the reports as UTF-8 .txt files plus reports.json (title, date, region) into the empty folder `dir`. */
export async function writeCorpus(dir: string, reports: readonly SyntheticReport[]): Promise<void> {
  const meta: Record<string, { title: string; date: string; region: string }> = {};
  for (const r of reports) {
    const file = path.join(dir, r.file);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${r.title}\n\n${r.paragraphs.join('\n\n')}\n`);
    meta[r.file] = { title: r.title, date: r.date, region: r.region };
  }
  await fs.writeFile(path.join(dir, 'reports.json'), JSON.stringify(meta, null, 1));
}
