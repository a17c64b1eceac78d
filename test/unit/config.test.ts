import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const cwd = '/srv/report-qa';

describe('loadConfig', () => {
  it('applies the defaults of PRODUCT.md', () => {
    const c = loadConfig({}, cwd);
    expect(c.telegramApiRoot).toBe(DEFAULT_CONFIG.telegramApiRoot);
    expect(c.reportsDir).toBe(path.join(cwd, 'seeds'));
    expect(c.indexDir).toBe(path.join(cwd, 'embeddings'));
    expect(c.modelDir).toBe(path.join(cwd, 'embeddings/models'));
    expect(c.embeddingModel).toBe('Xenova/bge-small-zh-v1.5');
    expect(c.embedder).toBe('auto');
    expect(c.adminUserIds.size).toBe(0);
    expect(c.llm).toBeUndefined();
    expect(c.telegramBotToken).toBeUndefined();
  });

  it('parses admin ids into a set of numbers', () => {
    const c = loadConfig({ ADMIN_USER_IDS: ' 42, 1001 ,,7' }, cwd);
    expect([...c.adminUserIds]).toEqual([42, 1001, 7]);
  });

  it.each([
    ['ADMIN_USER_IDS', '12a'],
    ['ADMIN_USER_IDS', '-5'],
    ['EMBEDDER', 'gpu'],
    ['LOG_LEVEL', 'loud'],
    ['TELEGRAM_API_ROOT', 'ftp://example.org'],
    ['TELEGRAM_API_ROOT', 'not a url'],
    ['TELEGRAM_BOT_TOKEN', 'abc'],
    ['EMBEDDING_MODEL', '../../etc/passwd'],
    ['LLM_BASE_URL', 'http://127.0.0.1:1/v1'],
    ['METRICS_PORT', '0'],
    ['METRICS_PORT', '70000'],
    ['METRICS_PORT', '90a'],
  ])('throws a ConfigError naming %s for %j', (setting, value) => {
    let caught: unknown;
    try {
      loadConfig({ [setting]: value }, cwd);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(setting === 'LLM_BASE_URL' ? 'LLM_MODEL' : setting);
    expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
  });

  it('reads an LLM endpoint when base URL and model are set together', () => {
    const c = loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:8080/v1/', LLM_MODEL: 'qwen', LLM_API_KEY: 'sk-test' }, cwd);
    expect(c.llm).toEqual({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen', apiKey: 'sk-test' });
  });

  it('reads METRICS_PORT as a port number; the server is off without it', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }, cwd).metricsPort).toBe(9464);
    expect(loadConfig({}, cwd).metricsPort).toBeUndefined();
  });

  it('turns webhook mode on with TELEGRAM_WEBHOOK_URL: loopback port 8080 by default, no fixed secret', () => {
    expect(loadConfig({}, cwd).webhook).toBeUndefined();
    expect(loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg/hook' }, cwd).webhook).toEqual({
      url: 'https://bot.example.org/tg/hook',
      host: '127.0.0.1',
      port: 8080,
      maxPending: 1000,
    });
    const secret = 'a'.repeat(20) + '_-Z9';
    expect(
      loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org:8443/hook', WEBHOOK_HOST: '0.0.0.0', WEBHOOK_PORT: '3000', WEBHOOK_SECRET: secret, WEBHOOK_MAX_PENDING: '50' }, cwd)
        .webhook,
    ).toEqual({ url: 'https://bot.example.org:8443/hook', host: '0.0.0.0', port: 3000, secret, maxPending: 50 });
  });

  it.each([
    [{ TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/hook' }, 'TELEGRAM_WEBHOOK_URL', 'https://'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org:8080/hook' }, 'TELEGRAM_WEBHOOK_URL', '443, 80, 88, 8443'],
    [{ TELEGRAM_WEBHOOK_URL: 'bot.example.org/hook' }, 'TELEGRAM_WEBHOOK_URL', 'not a URL'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_PORT: '0' }, 'WEBHOOK_PORT', 'TCP port'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_HOST: 'example.org' }, 'WEBHOOK_HOST', 'IP address'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET', '16–256'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: 'has spaces and ünïcode!' }, 'WEBHOOK_SECRET', '16–256'],
    [{ WEBHOOK_SECRET: 'x'.repeat(32) }, 'WEBHOOK_SECRET', 'TELEGRAM_WEBHOOK_URL is not'],
    [{ WEBHOOK_PORT: '8080' }, 'WEBHOOK_PORT', 'TELEGRAM_WEBHOOK_URL is not'],
    [{ WEBHOOK_MAX_PENDING: '10' }, 'WEBHOOK_MAX_PENDING', 'TELEGRAM_WEBHOOK_URL is not'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_MAX_PENDING: '0' }, 'WEBHOOK_MAX_PENDING', 'whole number'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_MAX_PENDING: '1e3' }, 'WEBHOOK_MAX_PENDING', 'whole number'],
  ])('refuses webhook settings %j with a ConfigError naming %s', (env, setting, why) => {
    let caught: unknown;
    try {
      loadConfig(env, cwd);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).setting).toBe(setting);
    expect((caught as ConfigError).message).toContain(why);
  });

  it('treats empty values as unset', () => {
    const c = loadConfig({ EMBEDDER: '', ADMIN_USER_IDS: '  ' }, cwd);
    expect(c.embedder).toBe('auto');
  });
});
