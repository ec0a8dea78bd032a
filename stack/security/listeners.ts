/**
 * What the machine's TCP listeners are, read from /proc/net/tcp and /proc/net/tcp6 (Linux): the
 * attacker's view of which ports answer on which addresses, without sending a packet anywhere.
 */
import fs from 'node:fs';

export interface Listener {
  address: string;
  port: number;
}

function ipv4(hex: string): string {
  return [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
}

function ipv6(hex: string): string {
  // Four little-endian 32-bit words.
  const words = [0, 1, 2, 3].map((w) => hex.slice(w * 8, w * 8 + 8).match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
  const full = groups.join(':');
  if (full === '0:0:0:0:0:0:0:0') return '::';
  if (full === '0:0:0:0:0:0:0:1') return '::1';
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(full);
  if (mapped) {
    const n = (Number.parseInt(mapped[1], 16) << 16) + Number.parseInt(mapped[2], 16);
    return `::ffff:${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}`;
  }
  return full;
}

/** Every socket in LISTEN state (st 0A). */
export function tcpListeners(): Listener[] {
  const out: Listener[] = [];
  for (const [file, decode] of [['/proc/net/tcp', ipv4], ['/proc/net/tcp6', ipv6]] as const) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue;
      const [addr, port] = f[1].split(':');
      out.push({ address: decode(addr), port: Number.parseInt(port, 16) });
    }
  }
  return out;
}

export const isLoopback = (address: string): boolean => address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
