/** The Restate peer's ports, PEER_PORT_BASE + 0…3 (shifted per local stack with GATEWAY_PORT). */
import { config } from '../../common/config';

export function peerPorts() {
  const b = config.peerPortBase;
  return { ingress: b, admin: b + 1, node: b + 2, service: b + 3 };
}
