/** PostgreSQL from Debian's packages (apt), found by its versioned binary directory. */
import fs from 'node:fs';
import path from 'node:path';
import { which } from '../exec';
import { aptInstall } from './apt';
import { paths } from '../paths';
import { step, StepError } from '../progress';

/** The bin directory of the newest installed PostgreSQL server (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    const majors = fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return path.join(base, majors[0], 'bin');
  }
  const pg = which('postgres');
  return pg && which('initdb') ? path.dirname(fs.realpathSync(pg)) : undefined;
}

export async function installPostgres(): Promise<void> {
  if (postgresBinDir()) return;
  const name = "installing PostgreSQL from Debian's packages (apt-get)";
  const log = paths.installLog('postgres');
  await step(name, async (h) => {
    await aptInstall(name, ['postgresql'], log, h, 'install the PostgreSQL server (initdb, postgres) yourself, e.g. sudo apt-get install -y postgresql');
    if (!postgresBinDir()) throw new StepError(name, 'apt-get finished but no PostgreSQL server binary was found under /usr/lib/postgresql', log);
  }, log);
}
