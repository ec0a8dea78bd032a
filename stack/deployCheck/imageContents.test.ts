import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../paths';
import { checkImages, IMAGE_TARGETS, parseStages } from './imageContents';

describe('container images hold what each service requires at run time', () => {
  it("reads each service target's copies and entry point from the Dockerfile", () => {
    const stages = parseStages(fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    for (const t of IMAGE_TARGETS) {
      assert.equal(stages.get(t)?.entry, `dist/${t}/main.js`);
      assert.deepEqual(stages.get(t)?.copies, [t]);
      assert.equal(stages.get(t)?.base, 'runtime');
    }
    assert.deepEqual(stages.get('runtime')?.copies, ['common']);
  });

  it('passes for this repository: every run-time require of the three services is in its image', () => {
    assert.deepEqual(checkImages(REPO_ROOT), []);
  });

  it('reports a run-time package moved to devDependencies (a copy without dist/ is checked against this checkout\'s compiled code)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'image-contents-'));
    try {
      fs.copyFileSync(path.join(REPO_ROOT, 'Dockerfile'), path.join(root, 'Dockerfile'));
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
      assert.deepEqual(checkImages(root), []);
      pkg.devDependencies.kafkajs = pkg.dependencies.kafkajs;
      delete pkg.dependencies.kafkajs;
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
      const defects = checkImages(root);
      assert.ok(defects.length > 0 && defects.every((d) => /kafkajs .*devDependency/.test(d.message)), JSON.stringify(defects));
      assert.ok(defects.some((d) => d.where === 'dist/common/kafka.js'), JSON.stringify(defects));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  describe('in a copy with broken code', () => {
    let root: string;
    before(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'image-contents-'));
      fs.copyFileSync(path.join(REPO_ROOT, 'Dockerfile'), path.join(root, 'Dockerfile'));
      fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
      const write = (file: string, code: string) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), code);
      };
      write('dist/common/config.js', 'require("node:os"); require("path"); require("winston");');
      write('dist/common/schema.json', '{}');
      write('dist/actors/main.js', 'require("../common/config"); require("./helper"); require("../common/schema.json");');
      write('dist/actors/helper.js', 'const m = require("mocha"); require("@dapr/dapr/implementation/x");');
      write('dist/gateway/main.js', 'require("../common/config"); require("../stack/paths");');
      write('dist/stack/paths.js', '');
      write('dist/subscribers/main.js', 'require("left-pad"); require("./missing");');
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it('names a devDependency required at run time, code outside the image, an unlisted package and a missing file', () => {
      const defects = checkImages(root);
      const found = (where: string, words: RegExp) => defects.some((d) => d.where === where && words.test(d.message));
      assert.ok(found('dist/actors/helper.js', /mocha .*devDependency/), JSON.stringify(defects));
      assert.ok(found('dist/gateway/main.js', /dist\/stack\/paths\.js.*does not contain/), JSON.stringify(defects));
      assert.ok(found('dist/subscribers/main.js', /left-pad.*does not list/), JSON.stringify(defects));
      assert.ok(found('dist/subscribers/main.js', /\.\/missing.*does not exist/), JSON.stringify(defects));
      assert.equal(defects.length, 4, JSON.stringify(defects));
    });

    it('reports a service target the Dockerfile lacks', () => {
      const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
      fs.writeFileSync(path.join(root, 'Dockerfile'), dockerfile.replace(/FROM runtime AS gateway/, 'FROM runtime AS gw'));
      try {
        assert.ok(checkImages(root).some((d) => d.where === 'Dockerfile' && /no stage named gateway/.test(d.message)));
      } finally {
        fs.writeFileSync(path.join(root, 'Dockerfile'), dockerfile);
      }
    });
  });
});
