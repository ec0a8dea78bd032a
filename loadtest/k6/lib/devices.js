// Devices: WebSockets on GET /v1/stream (Bearer header), many per VU (k6/websockets is event-driven, so one
// VU holds dozens of sockets). Each socket calls onEvent(event, receivedAtMs) for every event JSON.
import { WebSocket } from 'k6/websockets';
import { setTimeout, clearTimeout } from 'k6/timers';
import { Counter } from 'k6/metrics';
import { data } from './api.js';

const opened = new Counter('device_sockets_opened');
const failed = new Counter('device_socket_errors');

/**
 * Opens one socket per entry of `devices` ({ user, onEvent, onClose }) and closes each at
 * `closeAtMs` (epoch ms) unless its onEvent returns true ("done") earlier. The VU's iteration
 * ends when every socket is closed.
 */
export function openDevices(devices, closeAtMs) {
  for (const d of devices) {
    const ws = new WebSocket(`${data.wsUrl}/v1/stream`, null, { headers: { Authorization: `Bearer ${d.user.token}` } });
    let closed = false;
    const timer = setTimeout(() => ws.close(), Math.max(0, closeAtMs - Date.now()));
    ws.onopen = () => opened.add(1);
    ws.onmessage = (m) => {
      const now = Date.now();
      let e;
      try {
        e = JSON.parse(m.data);
      } catch (_) {
        return;
      }
      if (d.onEvent(e, now) === true) ws.close();
    };
    ws.onerror = () => failed.add(1);
    ws.onclose = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      if (d.onClose) d.onClose();
    };
  }
}

/** The slice of `items` that VU number `k` (0-based within its scenario) of a scenario handles, `per` each. */
export function sliceFor(items, k, per) {
  return items.slice(k * per, (k + 1) * per);
}
