/**
 * Checks the shipped question set against the seed reports: every evidence is
 * really in its report (inside one line, so inside one cleaned paragraph), the
 * place-decided questions cannot be answered from another report, and the set
 * has the promised size and coverage.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/eval/dataset.js';
import { normalizeForMatch } from '../../src/eval/metrics.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATASET = path.join(ROOT, 'test/eval/seeds-qa.jsonl');
const SEEDS = path.join(ROOT, 'seeds');

const questions = parseDataset(readFileSync(DATASET, 'utf8'), DATASET);
const reportFiles = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();
const reportText = new Map(reportFiles.map((f) => [f, readFileSync(path.join(SEEDS, f), 'utf8')]));
const answerable = questions.filter((q) => q.source !== null);
const unanswerable = questions.filter((q) => q.source === null);

/** The tags the README documents; a typo would silently drop a question from its category. */
const KNOWN_TAGS = new Set([
  'figure', 'name', 'plan', 'paraphrase', 'shared-topic', 'english',
  'unanswerable', 'year-not-covered', 'place-not-covered', 'topic-not-covered', 'chit-chat',
]);

describe('test/eval/seeds-qa.jsonl', () => {
  it('has at least 120 questions, 20 of them unanswerable, with unique ids', () => {
    expect(questions.length).toBeGreaterThanOrEqual(120);
    expect(unanswerable.length).toBeGreaterThanOrEqual(20);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });

  it('covers every seed report, roughly in proportion to its length', () => {
    const totalChars = [...reportText.values()].reduce((n, t) => n + normalizeForMatch(t).length, 0);
    for (const [file, text] of reportText) {
      const count = answerable.filter((q) => q.source === file).length;
      const expected = (answerable.length * normalizeForMatch(text).length) / totalChars;
      expect(count, file).toBeGreaterThanOrEqual(Math.floor(expected * 0.7));
      expect(count, file).toBeLessThanOrEqual(Math.ceil(expected * 1.4));
    }
  });

  it('tags every question with known tags, and "unanswerable" exactly on those without a source', () => {
    for (const q of questions) {
      expect(q.tags?.length, q.id).toBeGreaterThan(0);
      for (const t of q.tags ?? []) expect(KNOWN_TAGS.has(t), `${q.id}: ${t}`).toBe(true);
      expect(q.tags?.includes('unanswerable'), q.id).toBe(q.source === null);
    }
  });

  it('has each evidence verbatim (whitespace aside) within one line of its source report', () => {
    for (const q of answerable) {
      const text = reportText.get(q.source ?? '');
      expect(text, `${q.id}: unknown source ${q.source}`).toBeDefined();
      const evidence = normalizeForMatch(q.evidence ?? '');
      const lines = (text ?? '').split('\n').map(normalizeForMatch);
      expect(lines.some((l) => l.includes(evidence)), `${q.id}: "${q.evidence}" not within one line of ${q.source}`).toBe(true);
    }
  });

  it('keeps evidence short and inside one sentence, so it falls inside one chunk', () => {
    for (const q of answerable) {
      const evidence = normalizeForMatch(q.evidence ?? '');
      expect(evidence.length, q.id).toBeGreaterThanOrEqual(6);
      expect(evidence.length, q.id).toBeLessThanOrEqual(30);
      expect(evidence, q.id).not.toMatch(/[。！？；]/);
    }
  });

  it('decides shared-topic questions by place: their evidence is in no other seed report', () => {
    const shared = answerable.filter((q) => q.tags?.includes('shared-topic'));
    expect(shared.length).toBeGreaterThanOrEqual(20);
    for (const q of shared) {
      const evidence = normalizeForMatch(q.evidence ?? '');
      const elsewhere = reportFiles.filter((f) => f !== q.source && normalizeForMatch(reportText.get(f) ?? '').includes(evidence));
      expect(elsewhere, `${q.id}: "${q.evidence}" also in`).toEqual([]);
    }
  });

  it('asks the shared topics of several reports in each of them', () => {
    // Topics that appear in more than one report must be asked about in at least two of them.
    for (const topic of [
      '垃圾分类', '未来社区', '老旧小区', '招商', '共同富裕', '信访', '适老化', '矛盾纠纷', '违章',
      '外资', '固定资产投资', '党群服务中心', '百姓健身房', '景区',
    ]) {
      const inReports = reportFiles.filter((f) => normalizeForMatch(reportText.get(f) ?? '').includes(topic));
      const asked = new Set(
        answerable.filter((q) => q.tags?.includes('shared-topic') && (q.question + (q.evidence ?? '')).includes(topic)).map((q) => q.source),
      );
      expect(inReports.length, topic).toBeGreaterThan(1);
      expect(asked.size, topic).toBeGreaterThanOrEqual(2);
    }
  });
});
