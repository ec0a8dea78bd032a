/**
 * Validation of custom resources (Dapr's Component, Configuration, Resiliency; the Prometheus
 * Operator's ServiceMonitor and PrometheusRule) against the openAPIV3Schema of their CRDs (stack/install/crdSchemas.ts),
 * which the Kubernetes schemas of kubernetes-validate do not contain. The schema is read as the API
 * server reads it: `nullable`, `x-kubernetes-int-or-string` and `x-kubernetes-preserve-unknown-fields`
 * honoured, and every other object closed to unknown fields (kubectl's strict field validation).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { CrdSchemas } from '../install/crdSchemas';

type Schema = Record<string, unknown>;

/** An openAPIV3Schema as a JSON Schema with the API server's meaning. */
export function crdToJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(crdToJsonSchema);
  if (!s || typeof s !== 'object') return s;
  const src = s as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, crdToJsonSchema(ps)]));
    } else if (['items', 'additionalProperties', 'not'].includes(k) || ['allOf', 'anyOf', 'oneOf'].includes(k)) {
      out[k] = crdToJsonSchema(v);
    } else if (!k.startsWith('x-kubernetes-') && k !== 'nullable' && k !== 'description') {
      out[k] = v;
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserve = src['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object'))) {
    if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  }
  return out;
}

export interface CrdIssue {
  path: string;
  message: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * The CRDs' patterns are Go (RE2) regular expressions: an inline `(?i)`, which JavaScript does not
 * know (the PrometheusRule's `^(?i)(abort|warn)?$`), becomes the `i` flag of the whole pattern.
 */
export function goPattern(pattern: string, flags: string): RegExp {
  return pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags);
}

export class CrdValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: Object.assign(goPattern, { code: 'goPattern' }) } });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly schemas: CrdSchemas) {}

  /** The kinds it knows, "group/version/Kind". */
  known(): string[] {
    return Object.keys(this.schemas).sort();
  }

  /** undefined when no CRD defines the apiVersion and kind; otherwise every problem found (none: valid). */
  validate(doc: Schema): CrdIssue[] | undefined {
    const key = `${String(doc.apiVersion)}/${String(doc.kind)}`;
    const schema = this.schemas[key];
    if (!schema) return undefined;
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(crdToJsonSchema(schema) as Schema);
      this.compiled.set(key, fn);
    }
    const issues: CrdIssue[] = [];
    const meta = doc.metadata as { name?: unknown } | undefined;
    if (typeof meta?.name !== 'string' || !DNS_SUBDOMAIN.test(meta.name) || meta.name.length > 253) {
      issues.push({ path: 'metadata.name', message: `must be a DNS subdomain name, not ${JSON.stringify(meta?.name ?? null)}` });
    }
    if (!fn(doc)) issues.push(...(fn.errors ?? []).map(describe));
    return issues;
  }
}

function describe(e: ErrorObject): CrdIssue {
  const at = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { path: at ? `${at}.${extra}` : extra, message: 'unknown field' };
  }
  return { path: at, message: e.message ?? e.keyword };
}
