import assert from 'node:assert/strict';
import { config } from '../common/config';
import { appSpecs, infraSpecs, specFingerprint, type ProcessSpec } from './services';

/** Every port a process listens on: its main port and every `--…-port` argument (but --app-port, which daprd calls). */
function portsOf(spec: ProcessSpec): number[] {
  const out = [spec.port];
  if (spec.health.kind === 'http') out.push(Number(new URL(spec.health.url).port));
  spec.args.forEach((a, i) => {
    if (/^--(.*-)?port$/.test(a) && a !== '--app-port') out.push(Number(spec.args[i + 1]));
    if (a === '-p') out.push(Number(spec.args[i + 1]));
  });
  return out;
}

describe('the local stack with more than one actor host', () => {
  it('gives every process of a two-host stack ports of its own', () => {
    const specs = [...infraSpecs({ pg: 5432 }, 'java', '/usr/bin'), ...appSpecs({ pg: 5432 }, 2)];
    const seen = new Map<number, string>();
    for (const s of specs) {
      for (const p of new Set(portsOf(s))) {
        assert.ok(Number.isInteger(p) && p > 0, `${s.name}: port ${p}`);
        assert.equal(seen.get(p), undefined, `${s.name} and ${seen.get(p)} both use port ${p}`);
        seen.set(p, s.name);
      }
    }
  });

  it('runs the second host with the same Dapr app id, its own app port and its own sidecar', () => {
    const specs = appSpecs({ pg: 5432 }, 2);
    const host2 = specs.find((s) => s.name === 'actors-2');
    const sidecar2 = specs.find((s) => s.name === 'daprd-actors-2');
    const sidecar1 = specs.find((s) => s.name === 'daprd-actors');
    assert.ok(host2 && sidecar2 && sidecar1);
    const arg = (s: ProcessSpec, flag: string) => s.args[s.args.indexOf(flag) + 1];
    assert.equal(arg(sidecar2, '--app-id'), arg(sidecar1, '--app-id'));
    assert.equal(arg(sidecar2, '--app-port'), host2.env.ACTORS_PORT);
    assert.equal(host2.env.DAPR_HTTP_PORT, arg(sidecar2, '--dapr-http-port'));
    assert.notEqual(host2.env.ACTORS_PORT, specs.find((s) => s.name === 'actors')?.env.ACTORS_PORT ?? String(specs.find((s) => s.name === 'actors')?.port));
  });

  it('runs one actor host by default and refuses zero', () => {
    assert.deepEqual(appSpecs({ pg: 5432 }, 1).map((s) => s.name).filter((n) => n.includes('actors')), ['actors', 'daprd-actors']);
    assert.throws(() => appSpecs({ pg: 5432 }, 0), /ACTOR_HOSTS must be 1 or more/);
  });
});

describe('the settings a running service is compared by', () => {
  const fingerprints = () => appSpecs({ pg: 5432 }).map(specFingerprint);

  it('change with TRACING_SAMPLING_RATE, so up restarts the services and sidecars the bench samples less', () => {
    const before = config.tracingSamplingRate;
    try {
      config.tracingSamplingRate = 1;
      const one = fingerprints();
      config.tracingSamplingRate = 0.1;
      const tenth = fingerprints();
      assert.equal(one.length, tenth.length);
      one.forEach((f, i) => assert.notEqual(f, tenth[i]));
    } finally {
      config.tracingSamplingRate = before;
    }
  });

  it('run the services with node --cpu-prof only when SERVICE_CPU_PROFILE_DIR is set', () => {
    const before = config.serviceCpuProfileDir;
    try {
      config.serviceCpuProfileDir = '';
      assert.ok(appSpecs({ pg: 5432 }).every((s) => !s.args.includes('--cpu-prof')));
      config.serviceCpuProfileDir = '/tmp/profiles';
      const services = appSpecs({ pg: 5432 }).filter((s) => !s.name.startsWith('daprd-'));
      assert.ok(services.length >= 3 && services.every((s) => s.args.includes('--cpu-prof') && s.args.includes('--cpu-prof-dir=/tmp/profiles')));
    } finally {
      config.serviceCpuProfileDir = before;
    }
  });
});
