import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.js';
import { declaredCharset, decodeHtml } from '../../../src/ingest/decode-html.js';
import { extractHtmlLines } from '../../../src/ingest/extract-html.js';

const utf8 = (html: string): Uint8Array => new Uint8Array(Buffer.from(html, 'utf8'));
const texts = (html: string | Uint8Array): string[] => extractHtmlLines(typeof html === 'string' ? utf8(html) : html).map((l) => l.text);

const BODY = [
  '2024年，全区实现地区生产总值512.3亿元，同比增长6.1%，一般公共预算收入48.2亿元。',
  '一、主要工作',
  '全年新增城镇就业岗位1.2万个，城镇调查失业率控制在5%以内。',
];

/** A saved government page: site header, menus, breadcrumb, side column, the article, tools, neighbour links and footer. */
function govPage(opts: { charset?: string; articleAttr?: string; contentAttr?: string; extraHead?: string } = {}): string {
  const meta = opts.charset === undefined ? '' : `<meta http-equiv="Content-Type" content="text/html; charset=${opts.charset}">`;
  return `<!DOCTYPE html><html><head>${meta}${opts.extraHead ?? ''}
<title>区政府工作报告_政策文件_某某区人民政府</title>
<style>body { font-family: "宋体"; } .nav li { float: left; }</style>
<script>var tip = "欢迎访问本网站，这段脚本文字不是正文。";</script></head>
<body>
<div class="top-bar"><a href="/">无障碍</a> <a href="/en">English</a></div>
<div id="header"><div class="logo">某某区人民政府门户网站</div>
<ul class="main-nav"><li><a href="/">首页</a></li><li><a href="/gk">政务公开</a></li><li><a href="/fw">政务服务</a></li><li><a href="/hd">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/gk">政务公开</a> &gt; 正文</div>
<div class="wrap">
<div class="sidebar"><h3>信息公开目录</h3><p>本栏目收录本区政府信息公开目录中的规范性文件和工作报告。</p></div>
<div ${opts.articleAttr ?? 'class="article"'}>
<h1 class="art-title">区政府工作报告</h1>
<div class="art-info">发布时间：2025-01-22 字号：<a>大</a> <a>中</a> <a>小</a></div>
<div ${opts.contentAttr ?? 'id="zoom" class="TRS_Editor"'}>
<p>${BODY[0]}</p>
<h2>${BODY[1]}</h2>
<p>${BODY[2]}</p>
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<p>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</p>
<p>上一篇：<a href="/1">关于开展安全生产检查的通知</a></p><p>下一篇：<a href="/2">关于公布年度重点项目的公告</a></p>
</div></div>
<div class="footer"><p>主办单位：某某区人民政府办公室 地址：人民路1号 联系电话：0571-00000000</p><p>网站标识码：3301000000 浙ICP备00000000号</p></div>
</body></html>`;
}

describe('extractHtmlLines', () => {
  it('keeps the article (title, info line, paragraphs) and drops menus, breadcrumb, side column, tools, neighbour links and footer', () => {
    expect(texts(govPage())).toEqual(['区政府工作报告', '发布时间：2025-01-22 字号：大 中 小', ...BODY]);
  });

  it('gives <h1>–<h6> their depth as heading hints', () => {
    const lines = extractHtmlLines(utf8(govPage()));
    expect(lines.filter((l) => l.headingDepth !== undefined)).toEqual([
      { text: '区政府工作报告', headingDepth: 1 },
      { text: BODY[1], headingDepth: 2 },
    ]);
  });

  it('finds the text without any content class: the block whose paragraphs hold the most Chinese text', () => {
    expect(texts(govPage({ articleAttr: 'class="a1"', contentAttr: 'class="c2"' }))).toEqual(['区政府工作报告', '发布时间：2025-01-22 字号：大 中 小', ...BODY]);
  });

  it('never returns script, style or noscript text', () => {
    const html = `<html><head><style>p{}</style></head><body><script>document.write("脚本里的中文");</script><noscript>请启用脚本</noscript>
      <div class="content"><p>${BODY[0]}</p><style>.a{}</style><script>var b = "又一段脚本";</script></div></body></html>`;
    const lines = texts(html);
    expect(lines).toEqual([BODY[0]]);
  });

  it('breaks lines at paragraphs, <br>, list items and table rows, and separates table cells', () => {
    const html = `<div class="content"><p>第一段。</p><p>第二段第一行<br>第二段第二行</p>
      <ul><li>第一项</li><li>第二项</li></ul>
      <table><tr><th>指标</th><th>数值</th></tr><tr><td>地区生产总值</td><td>512.3亿元</td></tr></table></div>`;
    expect(texts(html)).toEqual(['第一段。', '第二段第一行', '第二段第二行', '第一项', '第二项', '指标 数值', '地区生产总值 512.3亿元']);
  });

  it('decodes named and numeric entities and joins source line breaks inside Chinese text', () => {
    const html = `<div class="content"><p>收入&ldquo;增长&rdquo;6.1&#37;&#xff0c;A&amp;B&nbsp;公司&lt;试点&gt;</p><p>全区上下
      团结一心</p></div>`;
    expect(texts(html)).toEqual(['收入“增长”6.1%，A&B\u00a0公司<试点>', '全区上下团结一心']);
  });

  it('decodes a GBK page declared as gb2312 in http-equiv, and one declared with <meta charset>', () => {
    const gbk = new Uint8Array(iconv.encode(govPage({ charset: 'gb2312' }), 'gbk'));
    expect(texts(gbk)).toEqual(['区政府工作报告', '发布时间：2025-01-22 字号：大 中 小', ...BODY]);
    const html5 = new Uint8Array(iconv.encode(`<html><head><meta charset="GBK"></head><body><p>${BODY[0]}</p></body></html>`, 'gbk'));
    expect(texts(html5)).toEqual([BODY[0]]);
  });

  it('decodes a GBK page that declares no charset by detection', () => {
    const bytes = new Uint8Array(iconv.encode(`<html><body><div class="content"><p>${BODY[0]}</p></div></body></html>`, 'gbk'));
    expect(texts(bytes)).toEqual([BODY[0]]);
  });

  it('takes the title from <title> when the page shows none near the text', () => {
    const html = `<html><head><title>关于2024年预算执行情况的报告_财政信息_某某市人民政府</title></head>
      <body><div class="content"><p>${BODY[0]}</p></div></body></html>`;
    expect(extractHtmlLines(utf8(html))).toEqual([{ text: '关于2024年预算执行情况的报告', headingDepth: 1 }, { text: BODY[0] }]);
  });

  it('reads a fragment without <html> or <body>', () => {
    expect(texts(`<p>${BODY[0]}</p><p>${BODY[2]}</p>`)).toEqual([BODY[0], BODY[2]]);
  });

  it('refuses a page with no text, binary content and absurd nesting with a reason', () => {
    const reason = (bytes: Uint8Array): string => {
      try {
        extractHtmlLines(bytes);
      } catch (err) {
        expect(isAppError(err, 'REPORT_UNREADABLE')).toBe(true);
        return (err as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(reason(utf8('<html><head><script>var a = 1;</script></head><body><ul class="nav"><li>【打印本页】</li></ul></body></html>'))).toMatch(/no text found in the web page/);
    expect(reason(new Uint8Array(3000).map((_, i) => (i * 7919 + 13) % 256))).toMatch(/binary content|unknown encoding/);
    expect(reason(utf8('<div>'.repeat(5000) + '正文。'))).toMatch(/nested more than 1000 elements deep/);
  });
});

describe('decodeHtml', () => {
  it('reads the declared charset from <meta charset>, http-equiv and an XML declaration', () => {
    const ascii = (s: string): Uint8Array => utf8(s);
    expect(declaredCharset(ascii('<meta charset="utf-8">'))).toBe('utf-8');
    expect(declaredCharset(ascii('<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312">'))).toBe('gb18030');
    expect(declaredCharset(ascii('<?xml version="1.0" encoding="gbk"?><html>'))).toBe('gb18030');
    expect(declaredCharset(ascii('<meta charset="big5">'))).toBe('big5');
    expect(declaredCharset(ascii('<meta charset="no-such-charset">'))).toBeUndefined();
    expect(declaredCharset(ascii('<p>none</p>'))).toBeUndefined();
  });

  it('reads a page re-saved as UTF-8 whose <meta> still says gb2312 as UTF-8', () => {
    const html = `<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>${BODY[0]}</p>`;
    expect(decodeHtml(utf8(html))).toBe(html);
  });

  it('decodes Big5 pages by their declaration', () => {
    const html = '<meta charset="big5"><p>政府工作報告</p>';
    expect(decodeHtml(new Uint8Array(iconv.encode(html, 'big5')))).toBe(html);
  });
});
