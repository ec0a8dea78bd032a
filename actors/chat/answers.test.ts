import assert from 'node:assert/strict';
import { readPick, readYesNo } from './answers';

const t = (id: string, title: string) => ({ id, title, tags: [], status: 'open' as const });
const candidates = [t('a', 'submit expense report'), t('b', 'expense receipts for travel'), t('c', 'call the plumber')];

describe('reading the answer to a question', () => {
  it('takes a position: a number, an ordinal, "the last one"', () => {
    for (const [text, id] of [['2', 'b'], ['#1', 'a'], ['the second one', 'b'], ['second', 'b'], ['the 3rd', 'c'], ['number 1', 'a'], ['the last one', 'c'], ['first one please', 'a']] as const) {
      assert.deepEqual(readPick(text, candidates), { kind: 'pick', ids: [id] }, text);
    }
  });

  it('refuses a position that names no candidate (not an answer: the message is handled afresh)', () => {
    assert.equal(readPick('7', candidates), null);
    assert.equal(readPick('0', candidates), null);
  });

  it('takes words of one candidate\'s title, and "both"/"all"', () => {
    assert.deepEqual(readPick('the plumber one', candidates), { kind: 'pick', ids: ['c'] });
    assert.deepEqual(readPick('travel', candidates), { kind: 'pick', ids: ['b'] });
    assert.deepEqual(readPick('all of them', candidates), { kind: 'pick', ids: ['a', 'b', 'c'] });
  });

  it('words that fit several candidates, or none, are not an answer; words of another task are', () => {
    assert.equal(readPick('expense', candidates), null);
    assert.equal(readPick('add milk tomorrow', candidates), null);
    assert.deepEqual(readPick('the dentist', candidates, [t('d', 'dentist appointment')]), { kind: 'pick', ids: ['d'] });
  });

  it('"never mind", "none" and "no" cancel', () => {
    for (const text of ['never mind', 'none', 'No.', 'cancel', 'neither']) assert.deepEqual(readPick(text, candidates), { kind: 'cancel' }, text);
  });

  it('reads yes and no, and nothing else', () => {
    assert.deepEqual(readYesNo('Yes!'), { kind: 'yes' });
    assert.deepEqual(readYesNo('sure'), { kind: 'yes' });
    assert.deepEqual(readYesNo('nope'), { kind: 'no' });
    assert.deepEqual(readYesNo('never mind'), { kind: 'cancel' });
    assert.equal(readYesNo('yes buy bread'), null);
    assert.equal(readYesNo('add buy bread'), null);
  });
});
