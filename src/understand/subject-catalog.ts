/**
 * The subjects of the indexed reports (罗星街道, 郑州市, 国务院) under every name
 * a question may use for them (罗星, 郑州, 全国), so a question is answered from
 * the reports about what it names. Built once per index snapshot; immutable.
 */
import { pinyin } from 'pinyin-pro';
import { gazetteer, type Place } from '../text/places.js';
import type { ReportMeta } from '../types.js';

/** One subject and the reports about it. */
export interface CatalogSubject {
  /** The subject's official name, as the reports' identity gives it. */
  readonly name: string;
  /** Every name that refers to it, longest first. */
  readonly names: readonly string[];
  readonly sources: readonly string[];
  /** Per report: the years it reports on and those it plans for, when known. */
  readonly years: ReadonlyMap<string, ReportYears>;
  /** Official names of the places it lies in (郑州市 → 河南省). */
  readonly within: readonly string[];
}

/** The years one report reviews (a 2025 work report: 2024) and plans for (2025). */
export interface ReportYears {
  readonly reviewed: readonly number[];
  readonly planned: readonly number[];
}

/** A place named in a question. */
export interface NamedPlace {
  /** As written after folding (郑州, 南兴街道). */
  readonly written: string;
  /** The indexed subject it refers to, when there is one. */
  readonly subject?: CatalogSubject;
  /** The gazetteer's place, when it is a known division. */
  readonly place?: Place;
  /** Set when a same-sounding wrong character was corrected (南兴街道 → 南星街道). */
  readonly corrected?: boolean;
  readonly start: number;
  readonly end: number;
}

type SubjectReport = Pick<ReportMeta, 'source' | 'subject' | 'aliases' | 'within' | 'region' | 'years' | 'planYears'>;

/** Suffixes a question puts on places too small for the gazetteer. */
const LOCAL_SUFFIX = /([\u4e00-\u9fff]{2,3})(街道|镇|乡|社区|村)/g;
/** Words that end like a place but are not one. */
const NOT_LOCAL = /^(?:各镇|全镇|本镇|小镇|古镇|集镇|重镇|各乡|全乡|新村|各村|全村|本村|城市社区|各社区|全社区|本社区)$/;
/** Words no place name ends with, however it starts (还有农村居民 names no 还有农村). */
const NOT_LOCAL_END = /(?:城镇|乡镇|城乡|村镇|农村|乡村)$/;
/** A city, county or province whose name without its suffix is still a name (中山市 → 中山); 县城 names are left alone. */
const SHORTENABLE = /^([\u4e00-\u9fff]{2,})(?:市|县|省)$/;
/** What follows a place name that makes it part of another name (中山路, 长安街, 苏州大学). */
const NAME_GOES_ON = /^(?:路|街(?!道)|大道|大街|大桥|公园|广场|小学|中学|大学|学院|医院|火车站|高铁站)/;
/** Characters a place does not start with (问一下南星街道 names 南星街道). */
const NOT_FIRST = /^[是的在和与及年对为将由向从把被了全各本该问下那个请]/;

export class SubjectCatalog {
  readonly subjects: readonly CatalogSubject[];
  /** name → subject, for every name. */
  readonly #byName = new Map<string, CatalogSubject>();
  /** Names longest first, for scanning. */
  readonly #names: readonly string[];
  /** Toneless pinyin of each name → the names that sound so, for same-sounding wrong characters (正州 → 郑州). */
  readonly #bySound = new Map<string, { name: string; subject: CatalogSubject }[]>();
  /** Character → its readings, filled as questions are read (at most the few thousand common characters). */
  readonly #readings = new Map<string, readonly string[]>();

  constructor(reports: Iterable<SubjectReport>) {
    const bySubject = new Map<string, { names: Set<string>; sources: string[]; years: Map<string, ReportYears>; within: readonly string[] }>();
    for (const r of reports) {
      const subject = r.subject ?? r.region;
      if (subject === undefined) continue;
      let entry = bySubject.get(subject);
      if (entry === undefined) {
        entry = { names: new Set([subject]), sources: [], years: new Map(), within: r.within ?? [] };
        bySubject.set(subject, entry);
      }
      for (const name of r.aliases ?? []) entry.names.add(name);
      // The gazetteer reads 中山 or 长治 alone as no place (中山路); with a report about 中山市 indexed, a question naming 中山 means it.
      const short = SHORTENABLE.exec(subject)?.[1];
      if (short !== undefined) entry.names.add(short);
      entry.sources.push(r.source);
      entry.years.set(r.source, { reviewed: r.years ?? [], planned: r.planYears ?? [] });
    }
    this.subjects = [...bySubject].map(([name, e]) => ({
      name,
      names: [...e.names].sort((a, b) => b.length - a.length),
      sources: e.sources,
      years: e.years,
      within: e.within,
    }));
    for (const s of this.subjects) {
      for (const n of s.names) {
        if (!this.#byName.has(n)) this.#byName.set(n, s);
        const list = this.#bySound.get(sound(n)) ?? [];
        list.push({ name: n, subject: s });
        this.#bySound.set(sound(n), list);
      }
    }
    this.#names = [...this.#byName.keys()].sort((a, b) => b.length - a.length);
  }

  /** The subject called `name`, by any of its names. */
  get(name: string): CatalogSubject | undefined {
    return this.#byName.get(name);
  }

  /**
   * The places a (Simplified, NFKC-folded) question names, left to right:
   * indexed subjects by any name, divisions from the gazetteer (also those no
   * report is about: the answer must then say so), and 街道/镇/乡 names, with a
   * same-sounding wrong character corrected when exactly one subject sounds so.
   */
  findPlaces(text: string): NamedPlace[] {
    const found: NamedPlace[] = [];
    const taken = (start: number, end: number): boolean => found.some((p) => start < p.end && p.start < end);
    for (const name of this.#names) {
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
        if (taken(at, at + name.length) || NAME_GOES_ON.test(text.slice(at + name.length))) continue;
        const subject = this.#byName.get(name);
        found.push({ written: name, start: at, end: at + name.length, ...(subject !== undefined && { subject }) });
      }
    }
    for (const m of gazetteer.find(text, { countyShort: true })) {
      if (taken(m.start, m.end) || NAME_GOES_ON.test(text.slice(m.end))) continue;
      // 钟山市 is not 钟山县: a short form followed by another suffix is some other name, maybe misspelt.
      if (m.matched !== m.place.name && /^[市县区省州]/.test(text.slice(m.end)) && !m.place.name.startsWith(text.slice(m.start, m.end + 1))) continue;
      const subject = this.#byName.get(m.place.name);
      found.push({ written: m.matched, place: m.place, start: m.start, end: m.end, ...(subject !== undefined && { subject }) });
    }
    for (const c of this.#soundAlikes(text)) if (!taken(c.start, c.end)) found.push(c);
    for (const m of text.matchAll(LOCAL_SUFFIX)) {
      let core = m[1] ?? '';
      let start = m.index;
      if (core.length > 2 && NOT_FIRST.test(core)) {
        core = core.slice(1);
        start += 1;
      }
      const written = core + (m[2] ?? '');
      if (NOT_FIRST.test(core) || NOT_LOCAL.test(written) || NOT_LOCAL_END.test(written) || taken(start, start + written.length)) continue;
      found.push({ written, start, end: start + written.length });
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** Every toneless reading of a character, remembered: a question is read character by character. */
  #readingsOf(ch: string): readonly string[] {
    let known = this.#readings.get(ch);
    if (known === undefined) {
      known = /[\u4e00-\u9fff]/.test(ch) ? pinyin(ch, { toneType: 'none', type: 'array', multiple: true }) : [ch];
      this.#readings.set(ch, known);
    }
    return known;
  }

  /**
   * Runs of 2–4 characters that sound exactly like one subject's name and
   * share at least one character with it in place (正州 → 郑州, 平鼎山 → 平顶山,
   * 南兴街道 → 南星街道): a wrong character from a pinyin keyboard.
   */
  #soundAlikes(text: string): NamedPlace[] {
    // Every reading of each character: 城都 is read chéng dōu alone, and 成都 is chéng dū.
    const readings = [...text].map((ch) => this.#readingsOf(ch));
    if (readings.length !== text.length) return []; // characters outside the BMP make positions unreliable
    const out: NamedPlace[] = [];
    for (let len = 4; len >= 2; len--) {
      for (let at = 0; at + len <= text.length; at++) {
        const written = text.slice(at, at + len);
        if (!/^[\u4e00-\u9fff]+$/.test(written) || out.some((p) => at < p.end && p.start < at + len)) continue;
        const alike = soundsOf(readings.slice(at, at + len))
          .flatMap((key) => this.#bySound.get(key) ?? [])
          .filter((c) => c.name !== written && [...c.name].some((ch, i) => ch === written[i]));
        const subjects = new Set(alike.map((c) => c.subject));
        const first = alike[0];
        if (first === undefined || subjects.size !== 1 || this.#byName.has(written)) continue;
        out.push({ written, subject: first.subject, corrected: true, start: at, end: at + len });
      }
    }
    return out;
  }
}

/** Most readings tried for one run of characters (polyphones multiply them). */
const MAX_SOUNDS = 64;

/** The syllable strings a run of characters may be read as, each as `sound` writes a name. */
function soundsOf(readings: readonly (readonly string[])[]): string[] {
  let keys = [''];
  for (const options of readings) {
    keys = keys.flatMap((k) => options.map((o) => (k === '' ? o : `${k} ${o}`))).slice(0, MAX_SOUNDS);
  }
  return keys;
}

function sound(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array' }).join(' ');
}
