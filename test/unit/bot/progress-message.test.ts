import { GrammyError } from 'grammy';
import type { Message } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressMessage, type ProgressApi } from '../../../src/bot/progress-message.js';
import { silentLogger } from '../../../src/log.js';

function fakeApi() {
  const edits: { text: string; at: number }[] = [];
  const sent: string[] = [];
  let failWith: Error | undefined;
  const api: ProgressApi = {
    editMessageText: async (...[, , text]: Parameters<ProgressApi['editMessageText']>) => {
      if (failWith !== undefined) throw failWith;
      edits.push({ text: String(text), at: Date.now() });
      return true;
    },
    sendMessage: async (...[, text]: Parameters<ProgressApi['sendMessage']>) => {
      sent.push(text);
      const message: Message.TextMessage = { message_id: 99, date: 0, chat: { id: 1, type: 'private', first_name: 'a' }, text };
      return message;
    },
  };
  return { api, edits, sent, fail: (e: Error | undefined) => (failWith = e) };
}

const notModified = () =>
  new GrammyError('Call to editMessageText failed', { ok: false, error_code: 400, description: 'Bad Request: message is not modified' }, 'editMessageText', {});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressMessage', () => {
  it('edits at most once per interval, latest text wins', async () => {
    const f = fakeApi();
    const p = new ProgressMessage(f.api, 1, 2, 'start', 1000, silentLogger);
    p.update('a');
    p.update('b');
    expect(f.edits).toEqual([]); // the message was just sent: wait an interval
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.edits.map((e) => e.text)).toEqual(['b']);
    p.update('c');
    p.update('d');
    await vi.advanceTimersByTimeAsync(500);
    expect(f.edits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(f.edits.map((e) => e.text)).toEqual(['b', 'd']);
  });

  it('skips text identical to what is shown', async () => {
    const f = fakeApi();
    const p = new ProgressMessage(f.api, 1, 2, 'same', 10, silentLogger);
    p.update('same');
    await vi.advanceTimersByTimeAsync(50);
    await p.finish('same');
    expect(f.edits).toEqual([]);
  });

  it('finish shows the final text at once and ignores later updates', async () => {
    const f = fakeApi();
    const p = new ProgressMessage(f.api, 1, 2, 'start', 10_000, silentLogger);
    p.update('progress');
    await p.finish('done');
    p.update('late');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(f.edits.map((e) => e.text)).toEqual(['done']);
  });

  it('tolerates "message is not modified"', async () => {
    const f = fakeApi();
    const p = new ProgressMessage(f.api, 1, 2, 'start', 10, silentLogger);
    f.fail(notModified());
    await p.finish('done');
    expect(f.sent).toEqual([]);
  });

  it('sends the final text as a new message when the old one cannot be edited', async () => {
    const f = fakeApi();
    const p = new ProgressMessage(f.api, 1, 2, 'start', 10, silentLogger);
    f.fail(new GrammyError('x', { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' }, 'editMessageText', {}));
    await p.finish('done');
    expect(f.sent).toEqual(['done']);
  });
});
