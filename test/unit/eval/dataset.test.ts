import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../../src/eval/dataset.js';
import { AppError } from '../../../src/errors.js';

const line = (o: Record<string, unknown>): string => JSON.stringify(o);
const q1 = { id: 'q1', question: '罗星街道2022年经济总量是多少？', source: '000.txt', evidence: '地区生产总值108.1亿元' };
const u1 = { id: 'u1', question: '你好', source: null, evidence: null };

/** The DATASET_INVALID message `parseDataset` throws for `text`. */
function errorOf(text: string): string {
  try {
    parseDataset(text, 'qa.jsonl');
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'DATASET_INVALID' });
    return (err as AppError).message;
  }
  throw new Error('expected parseDataset to throw');
}

describe('parseDataset', () => {
  it('parses answerable and unanswerable questions', () => {
    expect(parseDataset([line(q1), line(u1)].join('\n'), 'qa.jsonl')).toEqual([
      { ...q1, answerable: true, sources: ['000.txt'], answerAll: [], answerAny: [] },
      { ...u1, answerable: false, sources: [], answerAll: [], answerAny: [] },
    ]);
  });

  it('skips blank lines and accepts CRLF line ends and a BOM', () => {
    const text = '\uFEFF' + line(q1) + '\r\n\r\n   \r\n' + line(u1) + '\r\n';
    expect(parseDataset(text, 'qa.jsonl').map((q) => q.id)).toEqual(['q1', 'u1']);
  });

  it('keeps tags and any other optional fields', () => {
    const [q] = parseDataset(line({ ...q1, tags: ['figure', 'paraphrase'], note: '经济总量 = 地区生产总值', answer: 108.1 }), 'qa.jsonl');
    expect(q?.tags).toEqual(['figure', 'paraphrase']);
    expect(q?.extra).toEqual({ note: '经济总量 = 地区生产总值', answer: 108.1 });
  });

  it('accepts a source without evidence (any paragraph of that report counts)', () => {
    const [q] = parseDataset(line({ ...q1, evidence: null }), 'qa.jsonl');
    expect(q).toMatchObject({ source: '000.txt', evidence: null });
  });

  it('names the file and line of malformed JSON', () => {
    expect(errorOf([line(q1), '', '{"id": "q2", "question": "x",', line(u1)].join('\n'))).toMatch(
      /^qa\.jsonl:3: not valid JSON \(.+\)/,
    );
  });

  it.each([
    { name: 'a JSON array', text: '["q1"]', message: /qa\.jsonl:3: expected a JSON object/ },
    { name: 'a missing id', text: line({ ...q1, id: undefined }), message: /qa\.jsonl:3: missing field "id"/ },
    { name: 'a numeric id', text: line({ ...q1, id: 7 }), message: /qa\.jsonl:3: field "id" must be a string, got 7/ },
    { name: 'an empty question', text: line({ ...q1, question: '  ' }), message: /qa\.jsonl:3: field "question" is empty/ },
    { name: 'a missing source', text: line({ ...q1, source: undefined }), message: /qa\.jsonl:3: missing field "source" \(use null/ },
    { name: 'a numeric evidence', text: line({ ...q1, evidence: 108.1 }), message: /qa\.jsonl:3: field "evidence" must be a string, got 108\.1 \(use null/ },
    { name: 'an empty evidence', text: line({ ...q1, evidence: '' }), message: /qa\.jsonl:3: field "evidence" is empty; use null/ },
    { name: 'evidence without source', text: line({ ...q1, source: null }), message: /qa\.jsonl:3: question "q1" has evidence but no source/ },
    { name: 'tags that are not strings', text: line({ ...q1, tags: ['figure', 3] }), message: /qa\.jsonl:3: field "tags\[1\]" must be a string, got 3/ },
  ])('rejects $name with the line number', ({ text, message }) => {
    // The bad line is the third: a good line and a blank one come first.
    expect(errorOf(`${line(u1)}\n\n${text}`)).toMatch(message);
  });

  it('rejects a duplicate id, naming both lines', () => {
    const text = [line(u1), line(q1), '', line({ ...q1, question: '另一个问题' })].join('\n');
    expect(errorOf(text)).toBe('qa.jsonl:4: duplicate id "q1" (first used on line 2); ids must be unique');
  });

  it('rejects a file without questions', () => {
    expect(errorOf('\n  \n')).toMatch(/^qa\.jsonl: contains no questions/);
  });
});
