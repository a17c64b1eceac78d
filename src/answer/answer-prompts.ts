/**
 * The LLM's prompts, kept as editable files in prompts/ (Chinese): the system
 * prompt and a user template with `{{question}}` and `{{passages}}`. They are
 * read once, when the answerer is built, so an edited file takes effect on the
 * next start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, describeError } from '../errors.js';
import type { Passage } from '../types.js';

/** prompts/ at the project root. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));
export const SYSTEM_PROMPT_FILE = 'answer-system.md';
export const USER_TEMPLATE_FILE = 'answer-user.md';

const PLACEHOLDERS = ['{{question}}', '{{passages}}'] as const;
/** Delimiters of the blocks in the user templates; quoted text cannot reproduce them. */
const DELIMITERS = /<<<|>>>/g;

export interface AnswerPrompts {
  readonly system: string;
  readonly userTemplate: string;
}

/** Reads both prompt files. Throws `CONFIG_INVALID` naming the file when one is missing or lacks a placeholder. */
export function loadAnswerPrompts(dir: string = DEFAULT_PROMPTS_DIR): AnswerPrompts {
  const system = readPromptFile(dir, SYSTEM_PROMPT_FILE);
  const userTemplate = readPromptFile(dir, USER_TEMPLATE_FILE);
  const missing = PLACEHOLDERS.filter((p) => !userTemplate.includes(p));
  if (system === '' || missing.length > 0) {
    throw new AppError(
      'CONFIG_INVALID',
      system === ''
        ? `The prompt file ${path.join(dir, SYSTEM_PROMPT_FILE)} is empty`
        : `The prompt template ${path.join(dir, USER_TEMPLATE_FILE)} lacks ${missing.join(' and ')}`,
    );
  }
  return { system, userTemplate };
}

/** `text` with the template's delimiters (<<< >>>) spaced out, so quoted text cannot close a block. */
export function escapeDelimiters(text: string): string {
  return text.replace(DELIMITERS, (d) => d.split('').join(' '));
}

/** One prompt file of `dir`, trimmed. Throws `CONFIG_INVALID` naming the file when it cannot be read. */
export function readPromptFile(dir: string, file: string): string {
  const full = path.join(dir, file);
  try {
    return readFileSync(full, 'utf8').trim();
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `Cannot read the prompt file ${full} (${describeError(err)}); restore it from the repository`, {
      cause: err,
    });
  }
}

/**
 * The user message: the template with the question and the numbered passages
 * (`[1] 《title》第3段` then the text). Replacement is literal, so `$&` or
 * `{{passages}}` inside a question or a report stays text.
 */
export function renderUserPrompt(template: string, question: string, passages: readonly Passage[]): string {
  const block = passages
    .map((p, i) => `[${i + 1}] 《${p.report.title}》第${p.paragraph}段\n${escapeDelimiters(p.text)}`)
    .join('\n\n');
  return template.replace(/\{\{question\}\}|\{\{passages\}\}/g, (ph) => (ph === '{{question}}' ? question : block));
}
