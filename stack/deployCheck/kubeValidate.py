"""Validates rendered Kubernetes manifests against the Kubernetes JSON schemas that the
kubernetes-validate package (PyPI) ships, offline, reporting every error of every document.

Run by stack/deployCheck/helmTemplate.ts with the venv's python (stack/install/kubernetesValidate.ts):
    python kubeValidate.py KUBE_VERSION FILE
FILE holds `helm template` output. One JSON object per line on stdout, one per document:
    {"source", "kind", "apiVersion", "name", "status", "errors", "object"}
status: "valid"; "invalid" (errors: [{"path", "message"}]); "no-schema" (a kind the Kubernetes
schemas do not have, e.g. a CRD's: object is the parsed document, for the caller to check);
"not-yaml" (errors: the parser's message). Exit status 0 unless the tool itself failed.

kubernetes-validate's CLI stops at the first error of a document; this uses the same schema files
and validator with iter_errors instead. Strict schemas: unknown fields are errors, as with
kubectl's server-side strict field validation.
"""
import json
import re
import sys

import jsonschema
import referencing
import yaml
from kubernetes_validate import utils


def schema_dir(version: str) -> str:
    wanted = utils.major_minor(version)
    known = [v for v in utils.all_versions() if utils.major_minor(v) == wanted]
    if not known:
        raise SystemExit(f"kubernetes-validate {utils.__version__} has no schemas for Kubernetes {wanted}")
    return "v%s-local-strict" % known[-1]


def validator_for(directory: str, doc: dict, cache: dict):
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", str(doc.get("apiVersion", "")))
    name = "%s-%s.json" % (str(doc.get("kind", "")).lower(), api)
    if name in cache:
        return cache[name]
    try:
        schema = utils.schema_contents("kubernetes-json-schema/%s/%s" % (directory, name), directory)
    except FileNotFoundError:
        cache[name] = None
        return None
    if "_definitions" not in cache:
        cache["_definitions"] = utils.schema_contents("kubernetes-json-schema/%s/_definitions.json" % directory, directory)
    registry = referencing.Registry()
    registry = referencing.Resource.from_contents(schema) @ registry
    registry = referencing.Resource.from_contents(cache["_definitions"]) @ registry
    cache[name] = jsonschema.validators.Draft202012Validator(schema, registry=registry)
    return cache[name]


def documents(text: str):
    """The documents of a multi-document stream, each with the template it came from."""
    for chunk in re.split(r"^---[ \t]*$", text, flags=re.M):
        m = re.search(r"^# Source: (.+)$", chunk, flags=re.M)
        source = m.group(1).strip() if m else ""
        if not re.sub(r"(?m)^\s*#.*$", "", chunk).strip():
            continue
        yield source, chunk


def main() -> None:
    version, path = sys.argv[1], sys.argv[2]
    directory = schema_dir(version)
    cache: dict = {}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for source, chunk in documents(text):
        out = {"source": source, "kind": None, "apiVersion": None, "name": None, "status": "valid", "errors": [], "object": None}
        try:
            doc = yaml.safe_load(chunk)
        except yaml.YAMLError as e:
            out.update(status="not-yaml", errors=[{"path": "", "message": str(e).replace("\n", " ")}])
            print(json.dumps(out))
            continue
        if not isinstance(doc, dict):
            out.update(status="invalid", errors=[{"path": "", "message": "the document is not a mapping"}])
            print(json.dumps(out))
            continue
        out.update(kind=doc.get("kind"), apiVersion=doc.get("apiVersion"), name=(doc.get("metadata") or {}).get("name"))
        if not out["kind"] or not out["apiVersion"]:
            out.update(status="invalid", errors=[{"path": "", "message": "apiVersion and kind are required"}])
            print(json.dumps(out))
            continue
        validator = validator_for(directory, doc, cache)
        if validator is None:
            out.update(status="no-schema", object=doc)
        else:
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
            if errors:
                out.update(status="invalid", errors=[{"path": ".".join(map(str, e.absolute_path)), "message": e.message} for e in errors])
        print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
