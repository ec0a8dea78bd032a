/**
 * k6, the load generator of `npm run bench`, built with `go install go.k6.io/k6@version` through the
 * Go module proxy into the cache (k6's go.mod has no replace lines). v1.8.1 is the newest k6 the
 * proxy serves here; it has the WebSocket API built in as `k6/websockets` (the device scenario).
 */
import type { GoTool } from './goTool';

export const K6: GoTool = {
  name: 'k6', pkg: 'go.k6.io/k6', version: 'v1.8.1', minGo: [1, 24],
  // Stamps nothing: k6 reads its version from the module's build info, which `go install mod@ver` records.
};
