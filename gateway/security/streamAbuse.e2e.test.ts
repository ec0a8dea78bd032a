/**
 * The device stream against one user's token used as an attacker would, on the real stack: more
 * sockets than any user needs (each connect can cost a replay from the audit store), connects in
 * a tight loop, and a socket kept open past its token's expiry.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { config } from '../../common/config';
import { CLOSE_TOKEN_EXPIRED, CLOSE_TOO_MANY_SOCKETS } from '../stream/streamHub';
import { gatewayUrl, tokenFor, uniqueUser } from '../../stack/testSupport';

const streamUrl = () => `${gatewayUrl().replace('http', 'ws')}/v1/stream`;

type Outcome = { kind: 'open'; ws: WebSocket } | { kind: 'refused'; status: number; retryAfter?: string };

function connect(token: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(streamUrl(), { headers: { authorization: `Bearer ${token}` } });
    ws.once('open', () => resolve({ kind: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ kind: 'refused', status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined });
    });
    ws.once('error', reject);
  });
}

/** The close code of a socket, or undefined if it is still open after `ms` (then it is closed). */
function closeCode(ws: WebSocket, ms: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(undefined);
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(undefined);
    }, ms);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('attacker: the device stream with one token', function () {
  this.timeout(120_000);

  it(`holds at most STREAM_MAX_SOCKETS_PER_USER (${config.streamMaxSocketsPerUser}) sockets per user: the next is closed with ${CLOSE_TOO_MANY_SOCKETS}`, async () => {
    const token = await tokenFor(uniqueUser('sockets'));
    const open: WebSocket[] = [];
    try {
      for (let i = 0; i < config.streamMaxSocketsPerUser; i++) {
        const o = await connect(token);
        assert.equal(o.kind, 'open', `socket ${i + 1}`);
        if (o.kind === 'open') open.push(o.ws);
      }
      const extra = await connect(token);
      assert.equal(extra.kind, 'open', 'the upgrade itself succeeds, so that a browser sees the close code');
      if (extra.kind !== 'open') return;
      assert.equal(await closeCode(extra.ws, 10_000), CLOSE_TOO_MANY_SOCKETS);
      // Another user is not affected by this one's sockets.
      const other = await connect(await tokenFor(uniqueUser('other')));
      assert.equal(other.kind, 'open');
      if (other.kind === 'open') other.ws.close();
    } finally {
      for (const ws of open) ws.terminate();
    }
  });

  it(`rate-limits connects per user: beyond STREAM_UPGRADES_PER_MINUTE (${config.streamUpgradesPerMinute}) in a burst, 429 with Retry-After`, async () => {
    const token = await tokenFor(uniqueUser('reconnect'));
    let refused: Outcome | undefined;
    for (let i = 0; i < config.streamUpgradesPerMinute + 5 && !refused; i++) {
      const o = await connect(token);
      if (o.kind === 'open') o.ws.terminate();
      else refused = o;
    }
    assert.ok(refused && refused.kind === 'refused', 'some connect was refused');
    assert.equal(refused.status, 429);
    assert.match(refused.retryAfter ?? '', /^[1-9][0-9]*$/);
  });

  it(`closes a socket when its token expires, with ${CLOSE_TOKEN_EXPIRED}`, async () => {
    const user = uniqueUser('expiring');
    const { signDevToken } = await import('../auth');
    const o = await connect(await signDevToken(user, undefined, 3));
    assert.equal(o.kind, 'open');
    if (o.kind !== 'open') return;
    assert.equal(await closeCode(o.ws, 30_000), CLOSE_TOKEN_EXPIRED, 'closed at the token\'s exp, not left open');
  });
});
