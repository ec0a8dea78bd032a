import assert from 'node:assert/strict';
import { stripPoliteness } from './politeness';

describe('politeness', () => {
  it('drops greetings, "can you", "I\'d like to" before a command, and thanks at the end', () => {
    assert.deepEqual(stripPoliteness('hey, can you please add milk tomorrow, thanks!'), { text: 'add milk tomorrow', question: false });
    assert.deepEqual(stripPoliteness("I'd like to see my tasks"), { text: 'see my tasks', question: false });
    assert.deepEqual(stripPoliteness('ok so mark it as done pls'), { text: 'mark it as done', question: false });
  });

  it('remembers a question mark and keeps "I want to" before words that are not commands', () => {
    assert.deepEqual(stripPoliteness("what's overdue?"), { text: "what's overdue", question: true });
    assert.deepEqual(stripPoliteness('I want to learn piano'), { text: 'I want to learn piano', question: false });
  });
});
