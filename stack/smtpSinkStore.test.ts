import assert from 'node:assert/strict';
import { MessageStore, type SunkMessage } from './smtpSinkStore';

const msg = (to: string[], receivedAt = '2026-12-04T10:00:00.000Z', subject = 's'): SunkMessage => ({ from: 'f@x', to, subject, text: '', receivedAt });

describe("the SMTP sink's messages", () => {
  it('lists the messages to one address, whatever its case, oldest first, and only those', () => {
    const s = new MessageStore();
    s.add(msg(['Ann@Example.com'], undefined, 'first'));
    s.add(msg(['bob@example.com']));
    s.add(msg(['ann@example.com', 'ANN@example.com'], undefined, 'second'));
    assert.deepEqual(s.list('ann@EXAMPLE.com').map((m) => m.subject), ['first', 'second']);
    assert.equal(s.list('nobody@example.com').length, 0);
    assert.equal(s.list().length, 3);
  });

  it('keeps from its file the messages of the last day and counts the older and unreadable lines as dropped', () => {
    const now = Date.parse('2026-12-04T12:00:00.000Z');
    const lines = [msg(['a@x'], '2026-12-04T11:00:00.000Z'), msg(['a@x'], '2026-12-03T11:00:00.000Z')].map((m) => JSON.stringify(m)).join('\n');
    const { store, dropped } = MessageStore.fromLines(`${lines}\nnot json\n`, now);
    assert.deepEqual(store.list('a@x').map((m) => m.receivedAt), ['2026-12-04T11:00:00.000Z']);
    assert.equal(dropped, 2);
  });
});
