/**
 * The OpenAPI schemas of the custom resources the chart renders, taken from the CRDs their projects
 * publish, fetched as Go modules from the Go module proxy: Dapr's Component, Configuration and
 * Resiliency (github.com/dapr/dapr, charts/dapr/crds, the Dapr version the stack runs) and the
 * Prometheus Operator's ServiceMonitor and PrometheusRule (github.com/prometheus-operator/prometheus-operator,
 * example/prometheus-operator-crd). They are extracted once into
 * TODO_CACHE_DIR/tools/crd-schemas-<versions>/schemas.json, so the check itself runs offline.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { DAPR_VERSION, paths } from '../paths';
import { step, StepError } from '../progress';
import { checkGo, goEnv } from './go';

export interface CrdSource {
  module: string;
  version: string;
  files: string[];
}

export const CRD_SOURCES: CrdSource[] = [
  {
    module: 'github.com/dapr/dapr',
    version: `v${DAPR_VERSION}`,
    files: ['components', 'configuration', 'resiliency'].map((f) => `charts/dapr/crds/${f}.yaml`),
  },
  {
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.85.0',
    files: ['servicemonitors', 'prometheusrules'].map((f) => `example/prometheus-operator-crd/monitoring.coreos.com_${f}.yaml`),
  },
];

/** "group/version/Kind" → the version's openAPIV3Schema. */
export type CrdSchemas = Record<string, unknown>;

interface Crd {
  kind?: string;
  spec?: { group?: string; names?: { kind?: string }; versions?: Array<{ name: string; schema?: { openAPIV3Schema?: unknown } }> };
}

/** Named by the modules, their versions and a digest of the files taken, so a new CRD is fetched, not missed. */
const toolDir = () => path.join(paths.cache, 'tools', `crd-schemas-${CRD_SOURCES.map((s) => `${path.basename(s.module)}-${s.version}`).join('-')}-${createHash('sha256').update(JSON.stringify(CRD_SOURCES)).digest('hex').slice(0, 8)}`);
const schemasFile = () => path.join(toolDir(), 'schemas.json');

/** The schemas in CRD YAML text, keyed "group/version/Kind". */
export function schemasOfCrds(text: string): CrdSchemas {
  const out: CrdSchemas = {};
  for (const doc of yaml.loadAll(text) as Crd[]) {
    if (doc?.kind !== 'CustomResourceDefinition' || !doc.spec?.group || !doc.spec.names?.kind) continue;
    for (const v of doc.spec.versions ?? []) {
      if (v.schema?.openAPIV3Schema) out[`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`] = v.schema.openAPIV3Schema;
    }
  }
  return out;
}

/** Answers the schemas, downloading the modules and extracting them the first time. */
export async function installCrdSchemas(): Promise<CrdSchemas> {
  if (!fs.existsSync(schemasFile())) {
    const name = 'fetching the CRD schemas (Dapr, Prometheus Operator) from the Go module proxy';
    await step(name, async (h) => {
      const go = checkGo(name, [1, 22], 'downloading Go modules');
      fs.mkdirSync(paths.cache, { recursive: true });
      const schemas: CrdSchemas = {};
      for (const s of CRD_SOURCES) {
        h.progress(`${s.module}@${s.version}`);
        let dir: string;
        try {
          const { stdout } = await promisify(execFile)(go, ['mod', 'download', '-json', `${s.module}@${s.version}`],
            { env: goEnv(), cwd: paths.cache, maxBuffer: 4 * 1024 * 1024 });
          dir = (JSON.parse(stdout) as { Dir: string }).Dir;
        } catch (err) {
          const e = err as { stdout?: string; message: string };
          throw new StepError(name, `go mod download ${s.module}@${s.version} failed: ${e.stdout?.trim() || e.message}`);
        }
        for (const f of s.files) {
          const file = path.join(dir, f);
          if (!fs.existsSync(file)) throw new StepError(name, `${s.module}@${s.version} has no ${f}`);
          Object.assign(schemas, schemasOfCrds(fs.readFileSync(file, 'utf8')));
        }
      }
      fs.mkdirSync(toolDir(), { recursive: true });
      fs.writeFileSync(`${schemasFile()}.partial`, JSON.stringify(schemas));
      fs.renameSync(`${schemasFile()}.partial`, schemasFile());
    });
  }
  return JSON.parse(fs.readFileSync(schemasFile(), 'utf8')) as CrdSchemas;
}
