import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/errors.js';
import { ERROR_TEXT, MSG } from '../../../src/bot/messages.js';
import { nextProgressState } from '../../../src/bot/reindex-job.js';
import type { BuildSummary } from '../../../src/types.js';
import { parseTelegramHtml } from '../../helpers/telegram-html.js';

const text = (html: string): string => {
  const r = parseTelegramHtml(html);
  if (!r.ok) throw new Error(r.error);
  return r.text;
};

describe('ERROR_TEXT', () => {
  it('has Chinese text for every error code', () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const zh of Object.values(ERROR_TEXT)) expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('MSG.reindexProgress', () => {
  it('keeps the reports read while embedding, and shows elapsed time', () => {
    let s = nextProgressState(undefined, { phase: 'read', done: 3, total: 5, elapsedMs: 1000 });
    s = nextProgressState(s, { phase: 'read', done: 5, total: 5, elapsedMs: 1500 });
    s = nextProgressState(s, { phase: 'embed', done: 120, total: 480, elapsedMs: 12_300 });
    expect(text(MSG.reindexProgress(s))).toBe('⏳ 正在重建索引…\n阶段：生成向量\n已读取报告：5/5\n已生成向量：120/480\n已用时间：12.3 秒');
  });

  it('shows no count of nothing (a phase whose total is 0)', () => {
    let s = nextProgressState(undefined, { phase: 'read', done: 0, total: 0, elapsedMs: 0 });
    expect(text(MSG.reindexProgress(s))).not.toContain('0/0');
    s = nextProgressState(s, { phase: 'read', done: 2, total: 2, elapsedMs: 500 });
    s = nextProgressState(s, { phase: 'embed', done: 0, total: 0, elapsedMs: 600 });
    expect(text(MSG.reindexProgress(s))).toBe('⏳ 正在重建索引…\n阶段：生成向量\n已读取报告：2/2\n已用时间：0.6 秒');
  });
});

describe('MSG.reindexDone', () => {
  const summary: BuildSummary = {
    buildId: 'b',
    added: ['新<报告>.txt'],
    changed: [],
    removed: ['旧.txt'],
    unchanged: 3,
    reports: 4,
    paragraphs: 100,
    chunks: 250,
    embedded: 30,
    skipped: Array.from({ length: 12 }, (_, i) => ({ source: `bad${i}.pdf`, reason: 'no text & <layer>' })),
    durationMs: 75_000,
  };

  it('summarises counts, names and skipped files, escaped', () => {
    const t = text(MSG.reindexDone(summary));
    expect(t).toContain('用时 1 分 15 秒');
    expect(t).toContain('报告：4 份（新增 1，更新 0，删除 1，未变 3）');
    expect(t).toContain('本次生成向量：30 个');
    expect(t).toContain('新增：新<报告>.txt');
    expect(t).toContain('• bad0.pdf：no text & <layer>');
    expect(t).toContain('…另有 2 个');
    expect(t).not.toContain('更新：');
  });
});

describe('MSG.reindexFailed', () => {
  it('names the code\'s text and the escaped reason', () => {
    const t = text(MSG.reindexFailed('MODEL_UNAVAILABLE', 'missing <model> & files'));
    expect(t).toContain('向量模型无法加载');
    expect(t).toContain('missing <model> & files');
    expect(t).toContain('旧索引仍在正常使用');
  });
});
