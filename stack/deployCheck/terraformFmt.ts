/**
 * `terraform fmt -check -recursive` on terraform/: every .tf and .tfvars file must be exactly as
 * `terraform fmt` writes it. Offline: fmt needs no provider and no `terraform init`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Defect, DeployCheck } from './check';
import { capture, tail } from '../capture';
import { installTerraform } from '../install/terraform';

/** Terraform without the machine's CLI configuration or its update check. */
export function terraformEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
}

export const terraformFmt: DeployCheck = {
  name: 'terraform fmt -check -recursive terraform/',
  prepare: async () => {
    await installTerraform();
  },
  run: async (ctx) => {
    const dir = path.join(ctx.root, 'terraform');
    if (!fs.existsSync(dir)) return [{ where: 'terraform/', message: 'the folder is missing' }];
    const r = await capture(await installTerraform(), ['fmt', '-check', '-recursive', '-list=true', '-no-color'], { cwd: dir, env: terraformEnv() });
    if (r.status === 0) return [];
    const unformatted = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    // Exit 3 with a list: files that parse but are not formatted. Anything else: a file that does not parse.
    if (r.status === 3 && unformatted.length > 0) {
      return unformatted.map((f): Defect => ({
        where: path.posix.join('terraform', f),
        message: 'not formatted as `terraform fmt` writes it; run `terraform fmt -recursive terraform/`',
      }));
    }
    return [{ where: 'terraform/', message: `terraform fmt exited with ${r.status}:\n${tail(r.stderr || r.stdout)}` }];
  },
};
