import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../../src/answer/create-answerer.js';
import { ExtractiveAnswerer } from '../../../src/answer/extractive-answerer.js';
import { LlmAnswerer } from '../../../src/answer/llm-answerer.js';
import { silentLogger } from '../../../src/log.js';

describe('createAnswerer', () => {
  it('answers extractively without an LLM', () => {
    const a = createAnswerer({}, silentLogger);
    expect(a).toBeInstanceOf(ExtractiveAnswerer);
    expect(a.id).toBe('extractive');
  });

  it('uses the LLM when one is configured', () => {
    const a = createAnswerer({ llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen2.5' } }, silentLogger);
    expect(a).toBeInstanceOf(LlmAnswerer);
    expect(a.id).toBe('llm:qwen2.5');
  });

  it('reads the prompts from the folder given', () => {
    expect(() => createAnswerer({ llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm' } }, silentLogger, { promptsDir: '/nonexistent' })).toThrow(
      /prompt file/,
    );
  });
});
