import { describe, expect, it } from 'vitest';
import { AnswerConversations, conversationKey } from '../../../src/bot/answer-conversations.js';

const group = { id: -100, type: 'supergroup' };
const privateChat = { id: 7, type: 'private' };

describe('conversationKey', () => {
  it('is one per private chat and one per user in a group', () => {
    expect(conversationKey(privateChat, 7)).toBe('chat:7');
    expect(conversationKey(group, 1)).not.toBe(conversationKey(group, 2));
  });
});

describe('AnswerConversations', () => {
  it("gives a reply to an answer that answer's conversation, and anything else the sender's own", () => {
    const answers = new AnswerConversations();
    const ofA = conversationKey(group, 1);
    answers.record(group.id, [10, 11], ofA);
    expect(answers.ofMessage({ chat: group, from: { id: 2 }, reply_to_message: { message_id: 11 } })).toBe(ofA);
    expect(answers.ofMessage({ chat: group, from: { id: 2 }, reply_to_message: { message_id: 12 } })).toBe(conversationKey(group, 2));
    expect(answers.ofMessage({ chat: group, from: { id: 2 } })).toBe(conversationKey(group, 2));
    expect(answers.ofButton(group, 10, 2)).toBe(ofA);
    expect(answers.ofButton({ id: -200, type: 'supergroup' }, 10, 2)).toBe(conversationKey({ id: -200, type: 'supergroup' }, 2));
  });

  it('forgets answers after the time-to-live and the oldest beyond the cap', () => {
    let now = 0;
    const answers = new AnswerConversations({ ttlMs: 1000, maxAnswers: 2, now: () => now });
    answers.record(group.id, [1], 'a');
    now = 1001;
    expect(answers.ofButton(group, 1, 9)).toBe(conversationKey(group, 9));
    answers.record(group.id, [2, 3, 4], 'b');
    expect([2, 3, 4].map((id) => answers.ofButton(group, id, 9))).toEqual([conversationKey(group, 9), 'b', 'b']);
  });
});
