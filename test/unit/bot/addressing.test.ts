import type { Message, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { addressedText, stripMention } from '../../../src/bot/addressing.js';

const me = { id: 42, is_bot: true, first_name: 'QA', username: 'report_qa_bot' } as UserFromGetMe;
const group = { id: -1001, type: 'supergroup', title: 'g' } as const;
const msg = (over: Partial<Message>): Message => ({ message_id: 1, date: 0, chat: group, ...over }) as Message;

describe('stripMention', () => {
  it.each([
    ['@report_qa_bot 问题', '问题'],
    ['问题 @Report_QA_Bot', '问题'],
    ['请问@report_qa_bot，GDP多少', '请问，GDP多少'],
    ['a @report_qa_bot b @report_qa_bot c', 'a b c'],
  ])('%j → %j', (text, stripped) => {
    expect(stripMention(text, 'report_qa_bot')).toBe(stripped);
  });

  it.each(['@report_qa_bot2 问题', 'mail x@report_qa_bot', '没有提到', '@other_bot 问题'])('does not see a mention in %j', (text) => {
    expect(stripMention(text, 'report_qa_bot')).toBeUndefined();
  });
});

describe('addressedText', () => {
  it('takes every private message', () => {
    expect(addressedText(msg({ chat: { id: 5, type: 'private', first_name: 'u' }, text: '问题' }), me)).toBe('问题');
  });

  it('in groups, takes mentions and replies to the bot only', () => {
    expect(addressedText(msg({ text: '闲聊' }), me)).toBeUndefined();
    expect(addressedText(msg({ text: '@report_qa_bot 问题' }), me)).toBe('问题');
    const botMsg = msg({ from: { id: 42, is_bot: true, first_name: 'QA' } });
    const userMsg = msg({ from: { id: 7, is_bot: false, first_name: 'u' } });
    expect(addressedText(msg({ text: '追问', reply_to_message: botMsg as Message.CommonMessage as never }), me)).toBe('追问');
    expect(addressedText(msg({ text: '追问', reply_to_message: userMsg as never }), me)).toBeUndefined();
  });

  it('reads a document caption', () => {
    expect(addressedText(msg({ caption: '@report_qa_bot 收录' }), me)).toBe('收录');
  });

  it('ignores channels', () => {
    expect(addressedText(msg({ chat: { id: -5, type: 'channel', title: 'c' }, text: '@report_qa_bot x' }), me)).toBeUndefined();
  });
});
