/**
 * Apache Kafka from Maven Central's jars (stack/kafka/pom.xml lists them), fetched with Maven into
 * the cache, run with Java 17 as kafka.Kafka in KRaft combined mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { KAFKA_VERSION, paths, REPO_ROOT } from '../paths';
import { exec, which } from '../exec';
import { step, StepError } from '../progress';

const POM = path.join(REPO_ROOT, 'stack', 'kafka', 'pom.xml');

function marker(): string {
  return path.join(paths.kafkaLibs, '..', 'installed.json');
}

export function kafkaInstalled(): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(marker(), 'utf8')) as { version: string; pom: string };
    return m.version === KAFKA_VERSION && m.pom === fs.readFileSync(POM, 'utf8');
  } catch {
    return false;
  }
}

export function javaBin(): string {
  const home = process.env.JAVA_HOME;
  const java = (home && which('java', [path.join(home, 'bin')])) || which('java');
  if (!java) throw new StepError('starting Kafka', 'Java is not installed (Kafka 4 needs Java 17 or newer on PATH or in JAVA_HOME)');
  return java;
}

function checkJava(stepName: string): void {
  // `java -version` writes to stderr.
  const r = spawnSync(javaBin(), ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)/.exec(`${r.stdout}${r.stderr}`);
  if (m && Number(m[1]) < 17) throw new StepError(stepName, `Kafka ${KAFKA_VERSION} needs Java 17 or newer; found Java ${m[1]}`);
}

export async function installKafka(): Promise<void> {
  if (kafkaInstalled()) return;
  const name = `fetching Kafka ${KAFKA_VERSION} jars from Maven Central`;
  const log = paths.installLog('kafka');
  await step(name, async (h) => {
    checkJava(name);
    const mvn = which('mvn');
    if (!mvn) throw new StepError(name, 'Maven (mvn) is not installed; it fetches the Kafka jars from Maven Central');
    fs.rmSync(paths.kafkaLibs, { recursive: true, force: true });
    fs.mkdirSync(paths.kafkaLibs, { recursive: true });
    let downloaded = 0;
    await exec(mvn, ['-B', '-f', POM, `-Dmaven.repo.local=${paths.mavenRepo}`, 'dependency:copy-dependencies',
      '-DincludeScope=runtime', `-DoutputDirectory=${paths.kafkaLibs}`], {
      step: name, log,
      onLine: (l) => {
        if (l.includes('Downloaded from')) h.progress(`${++downloaded} artifacts downloaded`);
      },
    });
    const jars = fs.readdirSync(paths.kafkaLibs).filter((f) => f.endsWith('.jar'));
    if (!jars.some((j) => j.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) throw new StepError(name, `kafka_2.13-${KAFKA_VERSION}.jar is missing after the download`, log);
    fs.writeFileSync(marker(), JSON.stringify({ version: KAFKA_VERSION, pom: fs.readFileSync(POM, 'utf8'), jars: jars.length }, null, 2));
  }, log);
}
