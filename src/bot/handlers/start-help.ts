/**
 * `/start` and `/help`. `/start` shows what the bot does and up to three
 * example questions about places that are actually indexed, falling back to
 * fixed examples when the index names no regions.
 */
import type { MiddlewareFn } from 'grammy';
import type { App, ReportSummary } from '../../types.js';
import type { BotContext } from '../context.js';
import { isAdmin } from '../middleware/admin-only.js';
import { FALLBACK_EXAMPLES, MSG } from '../messages.js';

export function startHandler(app: App): MiddlewareFn<BotContext> {
  return async (ctx) => {
    await ctx.reply(MSG.start(exampleQuestions(app.sources())), { parse_mode: 'HTML' });
  };
}

export function helpHandler(adminUserIds: ReadonlySet<number>): MiddlewareFn<BotContext> {
  return async (ctx) => {
    await ctx.reply(MSG.help(isAdmin(adminUserIds, ctx)), { parse_mode: 'HTML' });
  };
}

const TEMPLATES: readonly ((place: string) => string)[] = [
  (p) => `${p}的地区生产总值是多少？`,
  (p) => `${p}下一年的工作思路是什么？`,
  (p) => `${p}有哪些重点项目？`,
];

/** Up to three questions, one template per distinct indexed place. */
export function exampleQuestions(sources: readonly ReportSummary[]): string[] {
  const places = [...new Set(sources.map((s) => s.region).filter((r): r is string => r !== undefined && r !== '').map(shortPlace))];
  if (places.length === 0) return [...FALLBACK_EXAMPLES];
  return TEMPLATES.map((t, i) => t(places[i % places.length]!));
}

/** The most specific unit of a region: 嘉兴市嘉善县罗星街道 → 罗星街道; 嘉兴市 stays. */
export function shortPlace(region: string): string {
  const m = /^.*?(?:省|自治区|市|州|盟|县|区|旗)(.+)$/u.exec(region.trim());
  const rest = m?.[1];
  return rest !== undefined && rest.length >= 2 ? shortPlace(rest) : region.trim();
}
