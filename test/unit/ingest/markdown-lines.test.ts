import { describe, expect, it } from 'vitest';
import { markdownLines } from '../../../src/ingest/markdown-lines.js';

describe('markdownLines', () => {
  it('keeps heading depth and strips Markdown syntax', () => {
    const md = ['# 报告标题', '', '## 一、工作回顾 ##', '- **重点**项目[落地](http://x)。', '> 引用内容。', '---', '![图](a.png)', '```', '# 不是标题', '```', '| 指标 | 数值 |', '|---|---|'].join('\n');
    expect(markdownLines(md)).toEqual([
      { text: '报告标题', headingDepth: 1 },
      { text: '' },
      { text: '一、工作回顾', headingDepth: 2 },
      { text: '重点项目落地。' },
      { text: '引用内容。' },
      { text: '图' },
      { text: '# 不是标题' },
      { text: '指标 数值' },
      { text: '--- ---' },
    ]);
  });
});
