/**
 * Every Chinese text the bot sends, in one place, plus the mapping from
 * `AppError` codes to what a chat user should read. Texts are HTML (the bot
 * sends everything with `parse_mode: 'HTML'`): whatever comes from outside —
 * report titles, file names, error details — goes through `escapeHtml` here.
 */
import type { ErrorCode } from '../errors.js';
import { UPLOAD_FORMATS, extensionList } from '../ingest/report-formats.js';
import type { BuildPhase, BuildSummary, IndexStatus, ReportSummary } from '../types.js';
import type { ListKind } from './report-callback-data.js';
import { escapeHtml } from './html.js';

/** `文本 .txt、…、网页 .html .htm`: what an admin may upload, from the format registry. */
const UPLOAD_TYPES = UPLOAD_FORMATS.map((f) => `${f.label} ${f.extensions.join(' ')}`).join('、');

const COMMANDS_HELP = [
  '/ask 问题 — 提问（私聊中直接发送问题即可）',
  '/sources [关键词] — 已收录的报告（可按标题、地区或文件名筛选）',
  '/status — 索引状态',
  '/help — 使用说明',
];

const ADMIN_HELP = [
  '',
  '<b>管理员</b>',
  '/reindex — 重新建立索引（未改动的报告不会重新向量化）',
  '/remove [关键词] — 从报告库删除一份报告（需确认）并重建索引',
  `发送文档（${extensionList(UPLOAD_FORMATS)}）— 加入报告库并建立索引；已有同名文件时可选择替换或另存`,
];

/** Commands shown in Telegram's menu for everyone (setMyCommands). */
export const BOT_COMMANDS: readonly { command: string; description: string }[] = [
  { command: 'ask', description: '提问，例如 /ask 2024年地区生产总值是多少？' },
  { command: 'sources', description: '已收录的报告' },
  { command: 'status', description: '索引状态' },
  { command: 'help', description: '使用说明' },
  { command: 'start', description: '简介和示例问题' },
];

/** The menu in an admin's private chat: everything plus /reindex and /remove. */
export const ADMIN_COMMANDS: readonly { command: string; description: string }[] = [
  ...BOT_COMMANDS,
  { command: 'reindex', description: '重新建立索引（管理员）' },
  { command: 'remove', description: '删除一份报告并重建索引（管理员）' },
];

/** What one page of a report list shows (report-list.ts computes it). */
export interface ReportListPage {
  readonly kind: ListKind;
  readonly keyword: string;
  /** Reports matching the keyword. */
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  /** Index of the page's first report among the matches (0-based). */
  readonly first: number;
  readonly items: readonly ReportSummary[];
}

/** Longest title shown in a list line and in a button. */
const LIST_TITLE_CHARS = 100;
const BUTTON_TITLE_CHARS = 30;

/** Fixed examples for when the index holds no report with a known region: no place, so they fit any collection. */
export const FALLBACK_EXAMPLES: readonly string[] = [
  '2024年地区生产总值是多少？',
  '明年的工作思路有哪些？',
  '报告中提到了哪些重点项目？',
];

export const MSG = {
  start(examples: readonly string[]): string {
    return [
      '你好！我可以回答关于已收录的地方政府工作报告的问题，并注明出处：报告名称、段落编号和原文。',
      '',
      '<b>可以这样问：</b>',
      ...examples.map((q) => `• ${escapeHtml(q)}`),
      '',
      '在私聊中直接发送问题即可；在群组中请用 /ask 问题、@我，或回复我的消息。',
      '发送 /help 查看全部命令。',
    ].join('\n');
  },

  help(isAdmin: boolean): string {
    return [
      '<b>使用说明</b>',
      '私聊：直接发送问题。群组：/ask 问题、@我，或回复我的消息。',
      '每个回答后列出引用的段落，点击按钮可查看整段原文。',
      '',
      ...COMMANDS_HELP,
      ...(isAdmin ? ADMIN_HELP : []),
    ].join('\n');
  },

  askUsage: '请在 /ask 后面写上问题，例如：/ask 2024年地区生产总值是多少？',
  emptyQuestion: '请发送一个问题，例如：2024年地区生产总值是多少？发送 /help 查看用法。',
  unknownCommand: '没有这个命令。发送 /help 查看可用的命令。',

  tooLong(length: number, max: number): string {
    return `问题太长了（${length} 字），请精简到 ${max} 字以内再问。`;
  },

  rateLimited(waitSeconds: number): string {
    return `提问太频繁了，请 ${waitSeconds} 秒后再试。`;
  },

  newConversation: '好的，我们重新开始。接下来的问题会单独理解，不再沿用上一个问题。',
  newConversationButton: '新问题',
  /** The 新问题 button's confirmation (a toast: keep it short). */
  newConversationPressed: '好的，下一个问题将重新开始，不再沿用之前的问题。',
  answerTimeout: '这个问题处理时间过长，已放弃。请稍后再试，或换个更具体的问法。',
  apology: '抱歉，处理消息时出错了。请稍后再试。',
  /** After a network failure talking to Telegram: the reply may or may not have arrived. */
  deliveryFailed: '⚠️ 网络故障：刚才的回复可能没有完整送达。如果没有看到回答，请重新提问。',
  adminOnly: '抱歉，只有管理员可以执行这个操作。',
  /** A toast for a non-admin pressing an admin button. */
  adminOnlyButton: '只有管理员可以使用这个按钮。',

  citationHeader(n: number, title: string, paragraph: number): string {
    return `<b>[${n}]</b> 《${escapeHtml(title)}》 第${paragraph}段`;
  },

  citationButton(n: number, paragraph: number): string {
    return `[${n}] 第${paragraph}段全文`;
  },

  paragraphHeader(title: string, paragraph: number, section: readonly string[]): string {
    const path = section.length > 0 ? `\n<i>${escapeHtml(section.join(' › '))}</i>` : '';
    return `<b>《${escapeHtml(title)}》 第${paragraph}段</b>${path}`;
  },

  paragraphSent: '已发送整段原文。',
  paragraphGone: '索引已更新，这段原文已变化或被移除。请重新提问以获得最新的引用。',
  buttonInvalid: '这个按钮已失效。',

  noReports: '索引中还没有报告。',

  noMatch(keyword: string): string {
    return `没有找到标题、地区或文件名包含“${escapeHtml(keyword)}”的报告。换个关键词试试，或不带关键词查看全部。`;
  },

  keywordTooLong: '关键词太长了，请不超过 16 个字。',
  previousPage: '◀ 上一页',
  nextPage: '下一页 ▶',

  reportListPage(p: ReportListPage): string {
    const counter = p.pages > 1 ? `（第${p.page}/${p.pages}页）` : '';
    const filter = p.keyword === '' ? '' : `包含“${escapeHtml(p.keyword)}”的`;
    const head =
      p.kind === 'sources'
        ? `<b>${p.keyword === '' ? `已收录 ${p.total} 份报告` : `${filter}报告：${p.total} 份`}</b>${counter}`
        : `<b>选择要删除的${filter}报告（共 ${p.total} 份）</b>${counter}`;
    const lines = p.items.map((r, i) => {
      const facts = [r.region ?? r.subject, r.kind, yearsFact(r), r.date, `${r.paragraphs} 段`].filter((x): x is string => x !== undefined && x !== '');
      const file = p.kind === 'remove' ? `\n    <code>${escapeHtml(r.source)}</code>` : '';
      return `${p.first + i + 1}. 《${escapeHtml(clip(r.title, LIST_TITLE_CHARS))}》\n    ${escapeHtml(facts.join(' · '))}${file}`;
    });
    return [head, ...lines].join('\n');
  },

  /** Plain text (a button label). */
  removePickButton(n: number, title: string): string {
    return `${n}. ${clip(title, BUTTON_TITLE_CHARS)}`;
  },

  removeConfirm(r: ReportSummary): string {
    return [
      '<b>确定要删除这份报告吗？</b>',
      `《${escapeHtml(clip(r.title, LIST_TITLE_CHARS))}》`,
      `文件：<code>${escapeHtml(r.source)}</code>`,
      '',
      '删除后会重建索引。文件先移到备份，索引重建成功后才删除；重建失败会自动恢复。',
    ].join('\n');
  },

  removeConfirmed(r: ReportSummary): string {
    return `已确认删除《${escapeHtml(clip(r.title, LIST_TITLE_CHARS))}》（<code>${escapeHtml(r.source)}</code>）。`;
  },

  confirmRemoveButton: '确认删除',
  cancelButton: '取消',
  removeCancelled: '已取消，没有删除任何报告。',
  /** An alert (at most 200 characters). */
  removeStale: '这份报告已变化或已不在索引中。请重新发送 /remove 选择。',

  removeFileMissing(source: string): string {
    return `报告文件 <code>${escapeHtml(source)}</code> 已不在报告文件夹中。发送 /reindex 更新索引。`;
  },

  removeStarted(source: string): string {
    return `🗑 已移除 <code>${escapeHtml(source)}</code>（备份保留到索引重建成功为止）。`;
  },

  uploadConflict(name: string): string {
    return [
      `报告库中已有同名文件 <code>${escapeHtml(name)}</code>，内容不同。要怎么处理？`,
      '• 替换：用新文件替换原文件（原文件先备份，索引重建失败会自动恢复）',
      '• 另存：以新文件名保存，原文件不变',
    ].join('\n');
  },

  uploadReplaceButton: '替换原文件',
  uploadRenameButton: '另存为新文件',
  /** An alert: the upload the buttons were for is no longer held. */
  uploadChoiceExpired: '这个选择已过期，请重新发送文件。',

  uploadChoiceMade(name: string, replace: boolean): string {
    return `同名文件 <code>${escapeHtml(name)}</code>：已选择${replace ? '替换原文件' : '另存为新文件'}。`;
  },

  uploadCancelled(name: string): string {
    return `已取消，<code>${escapeHtml(name)}</code> 未保存。`;
  },

  uploadReplaced(name: string): string {
    return `📄 已替换 <code>${escapeHtml(name)}</code>（原文件已备份，索引重建成功后删除）。`;
  },

  /** After a failed re-index: the moved or replaced file is back. */
  restored(file: string): string {
    return `↩️ 已恢复原文件 <code>${escapeHtml(file)}</code>，报告库未改动。`;
  },

  restoreFailed(file: string, backup: string): string {
    return `⚠️ 未能自动恢复 <code>${escapeHtml(file)}</code>：原文件在报告文件夹的 <code>${escapeHtml(backup)}</code>，请管理员手动放回。`;
  },

  status(s: IndexStatus, reindexing: boolean): string {
    return [
      '<b>索引状态</b>',
      `报告：${s.reports} 份`,
      `段落：${s.paragraphs} 个`,
      `检索片段：${s.chunks} 个`,
      `向量模型：<code>${escapeHtml(s.embedder.id)}</code>（${s.embedder.dimensions} 维）— ${embedderKind(s.embedder.id)}`,
      `分词：<code>${escapeHtml(s.tokenizer)}</code>`,
      `回答方式：${answererKind(s.answerer)}`,
      `建立时间：${escapeHtml(formatTime(s.builtAt))}`,
      `索引编号：<code>${escapeHtml(s.buildId)}</code>`,
      ...(reindexing ? ['', '⏳ 正在重建索引，完成前仍使用当前索引回答。'] : []),
    ].join('\n');
  },

  reindexBusy: '已有一个重建索引任务在进行中，请等它完成后再试。',

  /** Another process (e.g. a cron `report-qa index`) holds INDEX_DIR's build lock. */
  reindexLocked(holder: { readonly pid: number; readonly startedAt: string } | undefined): string {
    if (holder === undefined) return ERROR_TEXT.INDEX_LOCKED;
    return `另一个进程正在重建索引（PID ${holder.pid}，开始于 ${escapeHtml(formatTime(holder.startedAt))}），请稍后再试。`;
  },
  reindexInterrupted: '⚠️ 重建索引已中断（程序正在关闭）。旧索引仍在使用；重新启动后请再次发送 /reindex。',
  reindexStarting: '⏳ 开始重建索引…',

  reindexProgress(p: ProgressState): string {
    const lines = ['⏳ 正在重建索引…', `阶段：${PHASE_LABEL[p.phase]}`];
    if (p.read !== undefined) lines.push(`已读取报告：${p.read.done}/${p.read.total}`);
    if (p.embed !== undefined) lines.push(`已生成向量：${p.embed.done}/${p.embed.total}`);
    lines.push(`已用时间：${formatSeconds(p.elapsedMs)}`);
    return lines.join('\n');
  },

  reindexDone(s: BuildSummary): string {
    const lines = [
      `✅ 索引重建完成，用时 ${formatSeconds(s.durationMs)}`,
      `报告：${s.reports} 份（新增 ${s.added.length}，更新 ${s.changed.length}，删除 ${s.removed.length}，未变 ${s.unchanged}）`,
      `段落：${s.paragraphs} 个；片段：${s.chunks} 个；本次生成向量：${s.embedded} 个`,
    ];
    const named = (label: string, list: readonly string[]): void => {
      if (list.length > 0) lines.push(`${label}：${escapeHtml(clip(capList(list, 10), 600))}`);
    };
    named('新增', s.added);
    named('更新', s.changed);
    named('删除', s.removed);
    if (s.skipped.length > 0) {
      lines.push(`跳过 ${s.skipped.length} 个无法读取的文件：`);
      for (const k of s.skipped.slice(0, 10)) lines.push(`• ${escapeHtml(k.source)}：${escapeHtml(clip(k.reason, 160))}`);
      if (s.skipped.length > 10) lines.push(`…另有 ${s.skipped.length - 10} 个`);
    }
    return lines.join('\n');
  },

  reindexFailed(code: ErrorCode | undefined, detail: string): string {
    return [
      `❌ 重建索引失败：${code === undefined ? '内部错误' : ERROR_TEXT[code]}`,
      `原因：${escapeHtml(clip(detail, 500))}`,
      '旧索引仍在正常使用，问题照常回答。',
    ].join('\n');
  },

  uploadUnsupported(name: string): string {
    return `不支持这个文件类型（${escapeHtml(name)}）。支持的类型：${UPLOAD_TYPES}。`;
  },

  uploadTooLarge(bytes: number, maxBytes: number): string {
    return `文件太大（${formatMegabytes(bytes)}），上限是 ${formatMegabytes(maxBytes)}。`;
  },

  uploadBusy: '正在重建索引，暂时不能接收文件。请等重建完成后再发送。',
  uploadFailed: '文件下载或保存失败，请稍后重新发送。',

  uploadIdentical(name: string): string {
    return `报告库中已有内容完全相同的文件 ${escapeHtml(name)}，无需更新。`;
  },

  uploadSaved(name: string, requested: string): string {
    return name === requested
      ? `📄 已保存 <code>${escapeHtml(name)}</code>。`
      : `📄 已有同名文件，原文件未改动；新文件保存为 <code>${escapeHtml(name)}</code>。`;
  },
} as const;

/** What a chat user reads for each error code. */
export const ERROR_TEXT: Record<ErrorCode, string> = {
  CONFIG_INVALID: '配置有误，请联系管理员。',
  INDEX_MISSING: '索引尚未建立，暂时无法回答。请管理员发送 /reindex 建立索引。',
  INDEX_INCOMPATIBLE: '索引与当前设置不匹配，需要重建。请管理员发送 /reindex。',
  INDEX_CORRUPT: '索引文件已损坏，需要重建。请管理员发送 /reindex。',
  REINDEX_RUNNING: '已有一个重建索引任务在进行中，请等它完成后再试。',
  INDEX_LOCKED: '另一个进程正在重建索引，请稍后再试。',
  REINDEX_ABORTED: '重建索引被中止，旧索引仍在使用。',
  REINDEX_FAILED: '读取报告、计算向量或写入索引时出错（例如磁盘已满或没有写入权限）。',
  MODEL_UNAVAILABLE: '向量模型无法加载，请联系管理员。',
  REPORTS_DIR_MISSING: '报告文件夹不存在，请联系管理员。',
  REPORT_UNREADABLE: '有报告文件无法读取。',
  DATASET_INVALID: '评测数据格式有误。',
  EVAL_REGRESSION: '评测结果比基准差。',
  INPUT_INVALID: '输入无效，请换个问法。',
  LLM_FAILED: '生成回答的服务暂时出错，请稍后再试。',
  UPLOAD_REFUSED: '文件未被接收。',
};

/** Accumulated progress of one build: the read and embed counts survive later phases. */
export interface ProgressState {
  readonly phase: BuildPhase;
  readonly read?: { readonly done: number; readonly total: number };
  readonly embed?: { readonly done: number; readonly total: number };
  readonly elapsedMs: number;
}

const PHASE_LABEL: Record<BuildPhase, string> = {
  read: '读取报告',
  embed: '生成向量',
  index: '建立检索索引',
  write: '写入索引文件',
};

/** Says plainly whether answers rest on a neural model or the built-in fallback. */
function embedderKind(id: string): string {
  if (id.startsWith('offline:')) return '内置离线向量（不需要模型文件，语义理解较弱）';
  if (id.startsWith('neural:')) return '神经网络模型';
  return '其他向量模型';
}

function answererKind(id: string): string {
  if (id === 'extractive') return '摘录式（直接引用报告原文，不使用大模型）';
  if (id.startsWith('llm:')) return `大模型生成（<code>${escapeHtml(id.slice(4))}</code>），并附原文引用`;
  return `<code>${escapeHtml(id)}</code>`;
}

/** Build times are shown in Beijing time, the reports' own time zone. */
function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}（北京时间）`;
}

function formatSeconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} 秒` : `${Math.floor(ms / 60_000)} 分 ${Math.round((ms % 60_000) / 1000)} 秒`;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function capList(list: readonly string[], max: number): string {
  return list.slice(0, max).join('、') + (list.length > max ? ` 等 ${list.length} 个` : '');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** The years a report covers, as the list shows them: `2022年 · 计划2023年`. */
function yearsFact(r: ReportSummary): string | undefined {
  const years = r.years !== undefined && r.years.length > 0 ? `${r.years.join('、')}年` : undefined;
  const plans = r.planYears !== undefined && r.planYears.length > 0 ? `计划${r.planYears.join('、')}年` : undefined;
  return [years, plans].filter((x): x is string => x !== undefined).join(' · ') || undefined;
}
