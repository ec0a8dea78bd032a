import assert from 'node:assert/strict';
import { busyByGroup, groupOf, serviceOf, type CpuProfile } from './cpuProfileSummary';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('the CPU profile summary of a service', () => {
  it('puts each frame in the group of its package, node core, the project or the socket writes', () => {
    assert.equal(groupOf(frame('patched', 'file:///w/node_modules/@opentelemetry/instrumentation-http/build/src/http.js')), 'OpenTelemetry');
    assert.equal(groupOf(frame('handle', 'file:///w/node_modules/router/index.js')), 'Express and body parsing');
    assert.equal(groupOf(frame('parse', 'file:///w/node_modules/pg-protocol/dist/parser.js')), 'pg');
    assert.equal(groupOf(frame('emit', 'node:events')), 'node core (http, net, streams, timers)');
    assert.equal(groupOf(frame('invokeActor', 'file:///w/dist/gateway/daprClient.js')), 'this project');
    assert.equal(groupOf(frame('writev')), 'socket writes (the syscalls)');
    assert.equal(groupOf(frame('(garbage collector)')), 'garbage collector');
  });

  it('counts busy time only, after the skipped start-up seconds', () => {
    const profile: CpuProfile = {
      startTime: 0,
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('query', 'file:///w/node_modules/pg/lib/client.js') },
        { id: 3, callFrame: frame('main', 'file:///w/dist/actors/main.js') },
      ],
      // 3 at 1 s (start-up), then idle, pg and pg, 1 s apart
      samples: [3, 1, 2, 2],
      timeDeltas: [1e6, 1e6, 1e6, 1e6],
    };
    const { busyMs, groups } = busyByGroup(profile, 1.5);
    assert.equal(busyMs, 2000);
    assert.deepEqual([...groups], [['pg', 2000]]);
    assert.equal(serviceOf(profile), 'actors');
  });
});
