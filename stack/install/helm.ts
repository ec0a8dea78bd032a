/**
 * Helm 3, built with `go install` from the Go module proxy into the cache (stack/install/goTool.ts).
 * The ldflags stamp what helm's Makefile stamps: its own version (else `helm version` says "v3.22")
 * and the Kubernetes version that `helm lint` judges deprecated APIs against and that `helm template`
 * reports as .Capabilities.KubeVersion (else both assume 1.20). We target Kubernetes 1.33.
 */
import type { GoTool } from './goTool';

export const HELM_VERSION = 'v3.22.0';
/** The Kubernetes version the chart is rendered and validated for. */
export const KUBE_VERSION = { major: '1', minor: '33' };

export const HELM: GoTool = {
  name: 'helm',
  pkg: 'helm.sh/helm/v3/cmd/helm',
  version: HELM_VERSION,
  minGo: [1, 26],
  ldflags: [
    `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
    `-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=${KUBE_VERSION.major}`,
    `-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${KUBE_VERSION.minor}`,
    `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=${KUBE_VERSION.major}`,
    `-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${KUBE_VERSION.minor}`,
  ].join(' '),
};
