/**
 * The local stack's monitoring programs, in the cache, never in the system:
 * - Prometheus: `usr/bin/prometheus` of Debian's `prometheus` package, the unpack promtool also
 *   comes from (./promtool.ts);
 * - Alertmanager: built with `go install` from the Go module proxy. Not Debian's
 *   `prometheus-alertmanager`: Debian's build reads its notification templates from the absolute
 *   /usr/share/prometheus/alertmanager/default.tmpl and exits when that file is missing, which it is
 *   when the package is unpacked rather than installed. v0.31.1 is the newest release whose module
 *   carries its web assets (later ones embed a UI build the module lacks, so go install fails);
 *   its templates are compiled in;
 * - Zipkin: the `io.zipkin:zipkin-server` executable jar from Maven Central (Maven's
 *   dependency:get into the shared Maven repository), run by the Java that runs Kafka.
 * The next run finds them in the cache and fetches nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../paths';
import { exec, which } from '../exec';
import { step, StepError } from '../progress';
import { cachedDebianPackage, toolsDir, unpackDebianPackage } from './debianPackage';
import { goToolBin, installGoTool, type GoTool } from './goTool';

export const ZIPKIN_VERSION = '3.5.1';

const PROMETHEUS_BIN = path.join('usr', 'bin', 'prometheus');

export const ALERTMANAGER_GO: GoTool = {
  name: 'alertmanager',
  pkg: 'github.com/prometheus/alertmanager/cmd/alertmanager',
  version: 'v0.31.1',
  minGo: [1, 24],
  ldflags: '-X github.com/prometheus/common/version.Version=0.31.1',
};

export interface MonitoringBins {
  prometheus: string;
  alertmanager: string;
  zipkinJar: string;
}

const zipkinJar = (): string => path.join(toolsDir(), `zipkin-${ZIPKIN_VERSION}`, 'zipkin-server-exec.jar');

/** Where the programs are once installed (for `status`, which installs nothing). */
export function monitoringBins(): MonitoringBins {
  return {
    prometheus: path.join(cachedDebianPackage('prometheus', PROMETHEUS_BIN)?.dir ?? '/nonexistent', PROMETHEUS_BIN),
    alertmanager: goToolBin(ALERTMANAGER_GO),
    zipkinJar: zipkinJar(),
  };
}

async function installZipkin(): Promise<string> {
  const jar = zipkinJar();
  if (fs.existsSync(jar)) return jar;
  const name = `fetching Zipkin ${ZIPKIN_VERSION} (io.zipkin:zipkin-server, exec jar) from Maven Central`;
  const log = paths.installLog('zipkin');
  return step(name, async (h) => {
    const mvn = which('mvn');
    if (!mvn) throw new StepError(name, 'Maven (mvn) is not installed; it fetches the Zipkin jar from Maven Central');
    const inRepo = path.join(paths.mavenRepo, 'io', 'zipkin', 'zipkin-server', ZIPKIN_VERSION);
    // One 80 MB file: report how much of it (Maven's temporary files included) has arrived.
    const ticker = setInterval(() => {
      const bytes = fs.existsSync(inRepo) ? fs.readdirSync(inRepo).reduce((s, f) => s + (fs.statSync(path.join(inRepo, f), { throwIfNoEntry: false })?.size ?? 0), 0) : 0;
      h.progress(`${(bytes / 1e6).toFixed(1)} MB downloaded`);
    }, 1000);
    try {
      await exec(mvn, ['-B', `-Dmaven.repo.local=${paths.mavenRepo}`, 'dependency:get', `-Dartifact=io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`, '-Dtransitive=false'], { step: name, log });
    } finally {
      clearInterval(ticker);
    }
    const fetched = path.join(inRepo, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);
    if (!fs.existsSync(fetched)) throw new StepError(name, `${fetched} is missing after the download`, log);
    fs.mkdirSync(path.dirname(jar), { recursive: true });
    fs.copyFileSync(fetched, `${jar}.partial`);
    fs.renameSync(`${jar}.partial`, jar);
    return jar;
  }, log);
}

async function debianBin(pkg: string, bin: string, what: string): Promise<string> {
  const cached = cachedDebianPackage(pkg, bin);
  return path.join((cached ?? (await unpackDebianPackage(pkg, bin, what, pkg))).dir, bin);
}

export async function installMonitoring(): Promise<MonitoringBins> {
  return {
    prometheus: await debianBin('prometheus', PROMETHEUS_BIN, 'Prometheus'),
    alertmanager: await installGoTool(ALERTMANAGER_GO),
    zipkinJar: await installZipkin(),
  };
}
