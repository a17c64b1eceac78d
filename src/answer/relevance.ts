/**
 * The 'not found' decision: do the retrieved chunks answer the question at all?
 * Retrieval always returns its k best chunks, even for 你好, so the answer
 * stage must refuse when they are only loosely related. The decision is a pure
 * function of the question, the chunks and a few knobs, so it can be
 * calibrated on the evaluation set.
 *
 * A chunk is usable when
 * 1. it is among the first `maxRank` results;
 * 2. every constraint of the question holds for it: each year (2019年) occurs
 *    in the chunk, its section headings or its report's title/region/date; so
 *    does every place of one place group (北京市海淀区 needs 北京 and 海淀;
 *    罗星街道和新嘉街道 needs either); each quoted name (“五大行动”) occurs in
 *    the chunk or its headings;
 * 3. it covers enough of the question's content — the weighted share of the
 *    question's content characters covered by shared bigrams (see `coverage`;
 *    bigrams common in all government reports weigh less) is at least
 *    `minCoverage` and at least `minMatchedTerms` bigrams are shared — or its
 *    `vectorScore` reaches `strongVectorScore`.
 * The question is answered when some usable chunk also holds the question's
 * head term (its last, non-generic content bigram: 增速 in …GDP增速是多少) or
 * covers at least `headTermCoverage`; the answer then draws on every usable
 * chunk.
 */
import type { RetrievedChunk } from '../types.js';
import {
  analyzeQuestion,
  coverage,
  type Coverage,
  matchesPlaces,
  mentionsYear,
  normalizeForMatch,
  type QuestionAnalysis,
} from './question-analysis.js';

export interface RelevanceOptions {
  /** Only the first `maxRank` retrieved chunks are considered. Default 5. */
  readonly maxRank: number;
  /** Weighted share of the question's content a chunk must cover (see `coverage`). Default 0.4. */
  readonly minCoverage: number;
  /** Distinct content bigrams a chunk must contain (or all of them, if the question has fewer). Default 2. */
  readonly minMatchedTerms: number;
  /**
   * The question's head term — the last bigram of its content, usually the
   * thing asked about (增速 in 海宁市一季度GDP增速是多少) — must occur in one
   * usable chunk, or one usable chunk must reach this coverage. Default 0.6.
   */
  readonly headTermCoverage: number;
  /**
   * A chunk at least this similar to the question (cosine, `vectorScore`) is
   * usable without shared words, constraints still applying: a paraphrase or
   * an English question. Default 0.8, which only near-duplicates reach.
   */
  readonly strongVectorScore: number;
  /**
   * A not-found reply names the reports of chunks that satisfy the places of
   * the question and cover at least this share of its content. Default 0.2.
   */
  readonly relatedCoverage: number;
}

export const DEFAULT_RELEVANCE_OPTIONS: Readonly<RelevanceOptions> = Object.freeze({
  maxRank: 5,
  minCoverage: 0.4,
  minMatchedTerms: 2,
  headTermCoverage: 0.6,
  strongVectorScore: 0.8,
  relatedCoverage: 0.2,
});

export interface RelevanceJudgement {
  readonly relevant: boolean;
  /** Why, in English, for logs and the evaluation report. */
  readonly reason: string;
  /** Chunks the answer may use, in retrieval order. Empty when not relevant. */
  readonly usable: RetrievedChunk[];
  /** When not relevant: weakly related chunks, whose reports the reply may name. */
  readonly related: RetrievedChunk[];
  /**
   * When not relevant: the chunks that meet every constraint of the question
   * (year, place, quoted name) whatever their wording, in retrieval order —
   * where an answer judged by what it holds rather than by shared words may be.
   */
  readonly fitting: RetrievedChunk[];
}

/** One chunk measured against the question. */
interface ChunkCheck {
  readonly chunk: RetrievedChunk;
  /** The first constraint (year, place, quoted name) that fails. */
  readonly failed?: string;
  /** Why the content falls short. */
  readonly miss?: string;
  readonly placesOk: boolean;
  readonly coverage: number;
  /** The question's head term occurs in the chunk (or the question has none). */
  readonly hasHead: boolean;
  /** The chunk is usable on `strongVectorScore` alone. */
  readonly semantic: boolean;
}

/**
 * Decides whether the retrieved chunks answer the question.
 *
 * @example
 * judgeRelevance('罗星街道2019年地区生产总值是多少', retrieved)
 * // { relevant: false, reason: 'year 2019 not found in any candidate', usable: [], related: [...] }
 */
export function judgeRelevance(
  question: string,
  retrieved: readonly RetrievedChunk[],
  opts: Partial<RelevanceOptions> = {},
): RelevanceJudgement {
  const o = { ...DEFAULT_RELEVANCE_OPTIONS, ...opts };
  const q = analyzeQuestion(question);
  const none = (reason: string, related: RetrievedChunk[] = [], fitting: RetrievedChunk[] = []): RelevanceJudgement => ({
    relevant: false,
    reason,
    usable: [],
    related,
    fitting,
  });

  if (q.terms.length === 0 && q.quoted.length === 0 && q.placeGroups.length === 0 && q.years.length === 0) {
    return none('the question has no content terms');
  }
  const candidates = [...retrieved].sort((a, b) => a.rank - b.rank).filter((c) => c.rank <= o.maxRank);
  if (candidates.length === 0) return none('nothing retrieved');

  const checks = candidates.map((c) => checkChunk(q, c, o));
  const usable = checks.filter((c) => c.failed === undefined && c.miss === undefined);
  const best = Math.max(...checks.map((c) => c.coverage));
  const anchored = usable.some((c) => c.hasHead || c.coverage >= o.headTermCoverage || c.semantic);
  if (anchored) {
    return {
      relevant: true,
      reason: `${usable.length} usable of ${candidates.length} (best coverage ${best.toFixed(2)})`,
      usable: usable.map((c) => c.chunk),
      related: [],
      fitting: [],
    };
  }

  const related = checks.filter((c) => c.placesOk && c.coverage >= o.relatedCoverage).map((c) => c.chunk);
  const reason = checks.every((c) => c.failed !== undefined)
    ? `${[...new Set(checks.map((c) => c.failed))].join('; ')} not found in any candidate`
    : usable.length > 0
      ? `head term ${q.head ?? ''} in no usable candidate (best coverage ${best.toFixed(2)})`
      : `no candidate covers the question (best coverage ${best.toFixed(2)}): ${[...new Set(checks.map((c) => c.miss).filter((m) => m !== undefined))].join('; ')}`;
  return none(
    reason,
    related,
    checks.filter((c) => c.failed === undefined).map((c) => c.chunk),
  );
}

function checkChunk(q: QuestionAnalysis, c: RetrievedChunk, o: RelevanceOptions): ChunkCheck {
  const body = normalizeForMatch([c.chunk.text, ...c.chunk.section].join('\n'));
  const names = identityNames(c.report);
  const about = [body, c.report.title, c.report.date ?? ''].join('\n');
  const context = normalizeForMatch([about, ...names].join('\n'));
  // The region's outer places (嘉兴市 of 嘉兴市南湖区新嘉街道) do not make a street's report one about 嘉兴市;
  // they do place it (罗星街道…在嘉善县排第几).
  const own = normalizeForMatch([about, ...identityNames(c.report, false)].join('\n'));
  const placesOk = matchesPlaces(q.placeGroups, context, own);
  // Bulletins say 全市, not 乌鲁木齐市: the report's own subject covers the place words of the question.
  const cov = coverage(q, [body, ...names].join('\n'));
  // A work report reviews the year before its title's (《2025年政府工作报告》 on 2024) and plans its title's year
  // without naming them in every sentence: a plan question takes the planned years, any other the reviewed ones.
  // When the identity knows both, the title's year is no evidence: 《2025年政府工作报告》 reports 2024's results.
  const reportYears = (q.plan ? c.report.planYears : c.report.years) ?? [];
  const knowsBoth = (c.report.years ?? []).length > 0 && (c.report.planYears ?? []).length > 0;
  const yearContext = knowsBoth ? body : context;
  const missingYear = q.years.find((y) => !mentionsYear(yearContext, y) && !reportYears.includes(Number(y)));
  const missingQuote = q.quoted.find((name) => !body.includes(name));
  const failed =
    missingYear !== undefined
      ? `year ${missingYear}`
      : !placesOk
        ? `place ${q.placeGroups.map((g) => g.map((p) => p.full).join('')).join('/')}`
        : missingQuote !== undefined
          ? `name “${missingQuote}”`
          : undefined;
  const semantic = (c.vectorScore ?? -1) >= o.strongVectorScore;
  const miss = semantic ? undefined : contentMiss(q, cov, o);
  return {
    chunk: c,
    placesOk,
    coverage: cov.ratio,
    hasHead: q.head === undefined || body.includes(q.head),
    semantic,
    ...(failed !== undefined && { failed }),
    ...(miss !== undefined && { miss }),
  };
}

/**
 * The names a report's identity gives its subject (乌鲁木齐市, 乌鲁木齐), folded
 * for matching; with `surroundings` false, the region without the places
 * around the subject (新嘉街道 of 嘉兴市南湖区新嘉街道).
 */
function identityNames(report: RetrievedChunk['report'], surroundings = true): string[] {
  const { region, subject } = report;
  const at = region === undefined || subject === undefined ? -1 : region.lastIndexOf(subject);
  const own = surroundings || at < 0 ? region : region?.slice(at);
  return [subject, own, ...(report.aliases ?? [])].filter((n): n is string => n !== undefined).map(normalizeForMatch);
}

/** Why the chunk's content does not answer the question, or undefined when it may. */
function contentMiss(q: QuestionAnalysis, cov: Coverage, o: RelevanceOptions): string | undefined {
  if (cov.ratio < o.minCoverage) return `coverage below ${o.minCoverage}`;
  if (cov.matched < Math.min(o.minMatchedTerms, q.terms.length)) return `fewer than ${o.minMatchedTerms} terms`;
  return undefined;
}
