import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths';

const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');

describe('the Node.js runtime', () => {
  const bootstrap = /const NODE_VERSION = '(\d+\.\d+\.\d+)'/.exec(read('stack/bootstrap.js'))?.[1];

  it('is one Node 24 LTS release in the bootstrap, the image and CI', () => {
    assert.ok(bootstrap, 'stack/bootstrap.js names NODE_VERSION');
    assert.equal(bootstrap.split('.')[0], '24');
    assert.equal(/ARG NODE_IMAGE=node:(\S+)-bookworm-slim/.exec(read('Dockerfile'))?.[1], bootstrap, 'Dockerfile NODE_IMAGE');
    const ci = [...read('.github/workflows/ci.yml').matchAll(/node-version: (\S+)/g)].map((m) => m[1]);
    assert.ok(ci.length > 0, 'CI sets up node');
    for (const v of ci) assert.equal(v, bootstrap, 'ci.yml node-version');
  });

  it('is what package.json asks for and what the tests run on', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };
    assert.match(pkg.engines.node, /^>=24\./);
    assert.match(pkg.devDependencies['@types/node'], /^\^24\./);
    assert.equal(process.versions.node, bootstrap, 'the tests run on the bootstrap\'s node');
  });
});
