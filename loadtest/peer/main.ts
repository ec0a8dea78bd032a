/** The peer's service process: serves the TodoUser virtual object to the Restate server on PEER_PORT_BASE + 3. */
import * as restate from '@restatedev/restate-sdk';
import { peerPorts } from './ports';
import { todoUser } from './todoUser';

void restate.serve({ services: [todoUser], port: peerPorts().service });
