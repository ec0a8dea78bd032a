/** The commands of package.json (README.md, "Run it, test it"), reached through stack/bootstrap.js from package.json's scripts. */
import { config } from '../common/config';
import { OPERATOR_ROLE, signDevToken, SUB_PATTERN } from '../gateway/auth';
import { say, step, StepError, timings } from './progress';
import { isAlive } from './processes';
import { down, status, up } from './stack';
import { runBenchSuite } from '../loadtest/suite';
import { runChaos } from '../loadtest/chaos/run';
import { backup, printBackup, printRestoreSummary, restore } from './backup';
import { readState } from './stackState';
import { credentialsFile } from './credentials';
import { sidecars } from './services';
import { runTests } from './testRunner';
import { rewriteReadme } from './envTable';
import { deployCheck } from './deployCheck/run';
import { lint } from './lint';

const USAGE = `usage:
  npm start                        install what is missing, start everything, run until Ctrl-C
  npm test                         install, start the stack, run every test
  npm run stack -- up|down|status  background stack
  npm run token -- USER [EMAIL]    print a development JWT
  npm run token -- --operator NAME print an operator's JWT (roles: ["operator"]; /v1/admin)
  npm run backup [-- FILE]         pg_dump of the stack's database (custom format), with its recovery point
  npm run restore -- FILE          replace the database by a backup; reports what was written after it as lost
  npm run chaos [-- --only 1,3 --runs N]  fault scenarios under load, then loadtest/RELIABILITY.md
  npm run deploy:check [-- WORD]   validate the chart, Terraform, alert rules, dashboards and workflows offline
  npm run lint [-- --fix]          ESLint (typescript-eslint, import-x/no-cycle) over the repository`;

function printUrls(pgPort: number): void {
  const sc = sidecars();
  say('');
  say(`web page                    http://127.0.0.1:${config.gatewayPort}/   (sign in with any user name)`);
  say(`gateway (REST, WebSocket)   http://127.0.0.1:${config.gatewayPort}/v1   (health: /healthz, /readyz; metrics: http://127.0.0.1:${sc.gateway.appMetricsPort}/metrics)`);
  say(`gateway's Dapr sidecar      http://127.0.0.1:${sc.gateway.httpPort}/v1.0/metadata`);
  say(`actor host's Dapr sidecar   http://127.0.0.1:${sc.actors.httpPort}/v1.0/actors/UserActor/<user>/method/<name>   (header dapr-api-token: the actors' DAPR_API_TOKEN, in ${credentialsFile()})`);
  say(`emails (SMTP sink)          http://127.0.0.1:${config.smtpSinkHttpPort}/messages   (SMTP on ${config.smtpPort})`);
  say(`Prometheus                  http://127.0.0.1:${config.prometheusPort}/targets   (alerts: /alerts; every service, sidecar, placement, scheduler)`);
  say(`Alertmanager                http://127.0.0.1:${config.alertmanagerPort}/#/alerts   (alerts are emails at the SMTP sink)`);
  say(`Zipkin (traces)             http://127.0.0.1:${config.zipkinPort}/zipkin/   (a request's trace: its traceparent response header, monitoring/README.md)`);
  say(`PostgreSQL                  postgres://${config.pgUser}:${config.pgPassword}@127.0.0.1:${pgPort}/${config.pgDatabase}`);
  say(`Kafka                       ${config.kafkaBrokers}`);
  say(`JWT secret (development)    ${config.jwtSecret}`);
  say(`a token:                    TOKEN=$(npm run -s token -- alice alice@example.com)`);
  say(`try:                        curl -H "Authorization: Bearer $TOKEN" -d '{"title":"hello"}' -H 'content-type: application/json' http://127.0.0.1:${config.gatewayPort}/v1/tasks`);
  say(`logs:                       ${config.cacheDir}/logs/   (npm run stack -- status lists them)`);
}

async function foreground(): Promise<number> {
  const t0 = Date.now();
  const state = await up();
  say(`\nready in ${((Date.now() - t0) / 1000).toFixed(1)}s${timings.length ? ` (${timings.map((t) => `${t.step.split(' (')[0]}: ${(t.ms / 1000).toFixed(1)}s`).join('; ')})` : ''}`);
  printUrls(state.pgPort);
  say('\nrunning; Ctrl-C stops everything');
  return new Promise((resolve) => {
    const warned = new Set<string>();
    const watch = setInterval(() => {
      for (const p of readState()?.processes ?? []) {
        if (!isAlive(p) && !warned.has(p.name)) {
          warned.add(p.name);
          say(`✖ ${p.name} (pid ${p.pid}) has exited; its log: ${p.log}`);
        }
      }
    }, 5000);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      clearInterval(watch);
      say('\nstopping…');
      await down();
      resolve(0);
    };
    // Ctrl-C, kill, or a closed terminal: stop everything. A closed terminal or pipe (`npm start | tee`)
    // must not crash the shutdown half-way, so write errors on stdout/stderr are ignored from here on.
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => void stop());
    for (const stream of [process.stdout, process.stderr]) {
      stream.removeAllListeners('error');
      stream.on('error', () => undefined);
    }
  });
}

async function token(args: string[]): Promise<number> {
  const operator = args[0] === '--operator';
  const [user, email] = operator ? args.slice(1) : args;
  if (!user || user.startsWith('-')) {
    say('usage: npm run token -- USER [EMAIL]     a user\'s token\n       npm run token -- --operator NAME    an operator\'s token (roles: ["operator"], for /v1/admin)');
    return 2;
  }
  if (!SUB_PATTERN.test(user)) {
    say('USER may contain letters, digits and . _ @ : | + - (at most 128 characters)');
    return 2;
  }
  process.stdout.write(`${await signDevToken(user, email, undefined, operator ? { roles: [OPERATOR_ROLE] } : {})}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'start':
        return await foreground();
      case 'test':
        return await runTests(rest);
      case 'token':
        return await token(rest);
      case 'bench':
        return await runBenchSuite(rest);
      case 'chaos':
        return await runChaos(rest);
      case 'backup':
        printBackup(await step('backing up the database (pg_dump)', () => backup(rest[0])));
        return 0;
      case 'restore':
        if (!rest[0]) {
          say('usage: npm run restore -- FILE   (a pg_dump custom-format file from npm run backup)');
          return 2;
        }
        printRestoreSummary(await step('restoring the database (pg_restore), then the services', () => restore(rest[0])));
        return 0;
      case 'deploy:check':
        return await deployCheck(rest);
      case 'lint':
        return await lint(rest);
      case 'docs':
        say(rewriteReadme() ? 'README.md: configuration table updated' : 'README.md: configuration table already up to date');
        return 0;
      case 'stack':
        switch (rest[0]) {
          case 'up': {
            const state = await up();
            printUrls(state.pgPort);
            await status();
            return 0;
          }
          case 'down':
            await down();
            say('stack stopped');
            return 0;
          case 'status':
            return (await status()) ? 0 : 1;
          default:
            say(USAGE);
            return 2;
        }
      default:
        say(USAGE);
        return 2;
    }
  } catch (err) {
    if (!(err instanceof StepError)) say(`✖ ${err instanceof Error ? err.stack : String(err)}`);
    return 1;
  }
}
