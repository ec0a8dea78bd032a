/** Loaded first by main.ts, before node:http: see common/tracing.ts. */
import { SERVICE_APP_IDS } from '../common/config';
import { startTracing } from '../common/tracing';

startTracing(SERVICE_APP_IDS.gateway);
