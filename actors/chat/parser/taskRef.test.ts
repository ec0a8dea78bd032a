import assert from 'node:assert/strict';
import { parseTaskRef } from './taskRef';

describe('task references', () => {
  it('reads pronouns and "the last one" as the task last talked about', () => {
    for (const text of ['it', 'that', 'that one', 'this one', 'the last one', 'The last task', 'the one I just added', ''])
      assert.deepEqual(parseTaskRef(text), { kind: 'pronoun' }, text);
  });

  it('keeps the words that name the task, without articles and generic nouns', () => {
    assert.deepEqual(parseTaskRef('the dentist appointment'), { kind: 'text', text: 'dentist appointment' });
    assert.deepEqual(parseTaskRef('the expense one'), { kind: 'text', text: 'expense' });
    assert.deepEqual(parseTaskRef('my gym task'), { kind: 'text', text: 'gym' });
    assert.deepEqual(parseTaskRef('the task called rent'), { kind: 'text', text: 'rent' });
    assert.deepEqual(parseTaskRef('the one about expenses'), { kind: 'text', text: 'expenses' });
    assert.deepEqual(parseTaskRef('old idea from my list'), { kind: 'text', text: 'old idea' });
  });

  it('keeps quoted words as they are', () => {
    assert.deepEqual(parseTaskRef('"The one"'), { kind: 'text', text: 'The one' });
    assert.deepEqual(parseTaskRef("'call bob'"), { kind: 'text', text: 'call bob' });
  });
});
