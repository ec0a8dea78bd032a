/**
 * kubernetes-validate from PyPI, in a virtualenv of its own in the cache
 * (TODO_CACHE_DIR/tools/kubernetes-validate-<version>/), for validating rendered manifests against
 * the Kubernetes JSON schemas it ships (1.25 to 1.37 in 1.37.0, strict variants included). It
 * works offline: the schemas are files of the package. Needs python3 with the venv module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../paths';
import { exec, which } from '../exec';
import { step, StepError } from '../progress';

export const KUBERNETES_VALIDATE_VERSION = '1.37.0';

const toolDir = () => path.join(paths.cache, 'tools', `kubernetes-validate-${KUBERNETES_VALIDATE_VERSION}`);
/** The venv's python, which can import kubernetes_validate. */
export const kubernetesValidatePython = () => path.join(toolDir(), 'venv', 'bin', 'python');
const doneMarker = () => path.join(toolDir(), 'installed');

/** Answers the venv's python, creating the venv and installing the package the first time. */
export async function installKubernetesValidate(): Promise<string> {
  if (fs.existsSync(doneMarker())) return kubernetesValidatePython();
  const name = `installing kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} from PyPI`;
  const log = paths.installLog('kubernetes-validate');
  await step(name, async (h) => {
    const python = which('python3');
    if (!python) throw new StepError(name, 'python3 is not installed (kubernetes-validate needs Python 3.9 or newer with the venv module)');
    fs.rmSync(toolDir(), { recursive: true, force: true });
    fs.mkdirSync(toolDir(), { recursive: true });
    h.progress('creating the virtualenv');
    await exec(python, ['-m', 'venv', path.join(toolDir(), 'venv')], { step: name, log }).catch((err: Error) => {
      throw new StepError(name, `python3 -m venv failed (on Debian and Ubuntu: apt-get install python3-venv): ${(err as StepError).reason ?? err.message}`, log);
    });
    let collected = 0;
    await exec(kubernetesValidatePython(), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off',
      `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`], {
      step: name, log, env: { ...process.env, PIP_CACHE_DIR: path.join(paths.cache, 'pip') },
      onLine: (l) => {
        if (l.startsWith('Collecting ')) h.progress(`collecting packages: ${++collected}`);
        else if (l.startsWith('Installing ')) h.progress('installing');
      },
    });
    fs.writeFileSync(doneMarker(), `${new Date().toISOString()}\n`); // only a complete install counts
  }, log);
  return kubernetesValidatePython();
}
