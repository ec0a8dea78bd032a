import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { USER_ACTOR_METHODS } from '../common/actorApi';
import { REPO_ROOT } from '../stack/paths';

describe('Dapr HTTP metrics paths (components/config.yaml)', () => {
  const config = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'components', 'config.yaml'), 'utf8')) as {
    spec: { metrics?: { http?: { increasedCardinality?: boolean; pathMatching?: string[] } } };
  };
  const http = config.spec.metrics?.http;

  it('labels calls by path pattern only, so reminder names and actor ids never become series', () => {
    assert.equal(http?.increasedCardinality, false);
    assert.ok(http?.pathMatching?.includes('/actors/UserActor/{id}/method/remind/{reminder}'));
  });

  it('names every UserActor method, on the gateway\'s sidecar and on the actor host', () => {
    for (const m of USER_ACTOR_METHODS) {
      assert.ok(http?.pathMatching?.includes(`/v1.0/actors/UserActor/{id}/method/${m}`), `${m} on the caller's sidecar`);
      assert.ok(http?.pathMatching?.includes(`/actors/UserActor/{id}/method/${m}`), `${m} on the app`);
    }
  });
});
