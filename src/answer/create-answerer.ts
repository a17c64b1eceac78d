/**
 * Picks the answerer from the settings: written answers from the configured
 * LLM (falling back to extractive ones) when LLM_BASE_URL is set, else
 * extractive answers.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Answerer } from '../types.js';
import { ExtractiveAnswerer } from './extractive-answerer.js';
import { LlmAnswerer } from './llm-answerer.js';

/**
 * @example createAnswerer(loadConfig(), logger).id // 'extractive' or 'llm:qwen2.5'
 */
export function createAnswerer(config: Pick<Config, 'llm'>, logger: Logger, opts: { promptsDir?: string } = {}): Answerer {
  const extractive = new ExtractiveAnswerer();
  if (config.llm === undefined) return extractive;
  return new LlmAnswerer({
    llm: config.llm,
    fallback: extractive,
    logger,
    ...(opts.promptsDir !== undefined && { promptsDir: opts.promptsDir }),
  });
}
