/**
 * The local Kafka's users and ACLs, as in the cluster: SASL/SCRAM-SHA-512 on the broker's listener
 * (a user per service, common/kafkaAcls.ts, plus the stack's admin), the StandardAuthorizer, and
 * no access without an ACL. The controller listener takes SASL/PLAIN with the admin alone (KRaft
 * controllers cannot use SCRAM), so no unauthenticated connection reaches either port.
 * The SCRAM users are written into the metadata log when the storage is formatted (the only way
 * KRaft bootstraps them); the ACLs are made through the Admin API once the broker is up.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry, type KafkaConfig } from 'kafkajs';
import { config } from '../../common/config';
import { createKafka } from '../../common/kafka';
import { KAFKA_USERS, kafkaAcls, staleAcls, type KafkaService } from '../../common/kafkaAcls';
import { createLogger } from '../../common/logger';
import { stackCredentials, SERVICES } from '../credentials';

export const KAFKA_SASL_MECHANISM = 'scram-sha-512';

/** The client settings of a service's Kafka user, or of the stack's admin. */
export function kafkaUserSecurity(who: KafkaService | 'admin'): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const c = stackCredentials();
  const [username, password] = who === 'admin' ? [c.kafkaAdmin.username, c.kafkaAdmin.password] : [KAFKA_USERS[who], c[who].kafkaPassword];
  return { sasl: { mechanism: KAFKA_SASL_MECHANISM, username, password } };
}

/** KAFKA_SASL_* of a service process. */
export function serviceKafkaEnv(service: KafkaService): NodeJS.ProcessEnv {
  return { KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME: KAFKA_USERS[service], KAFKA_SASL_PASSWORD: stackCredentials()[service].kafkaPassword, KAFKA_TLS: 'false' };
}

/** The placeholders of server.properties.template that carry secrets. */
export function kafkaSecretPlaceholders(): Record<string, string> {
  return { '{{ADMIN_USER}}': stackCredentials().kafkaAdmin.username, '{{ADMIN_PASSWORD}}': stackCredentials().kafkaAdmin.password };
}

/** StorageTool format arguments that create every SCRAM user. */
export function scramFormatArgs(): string[] {
  const c = stackCredentials();
  const users = [[c.kafkaAdmin.username, c.kafkaAdmin.password], ...SERVICES.map((s) => [KAFKA_USERS[s], c[s].kafkaPassword])];
  return users.flatMap(([name, password]) => ['--add-scram', `SCRAM-SHA-512=[name=${name},password=${password}]`]);
}

/** What the storage was formatted with: when the credentials change, the storage must be formatted again. */
export function kafkaSecurityFingerprint(): string {
  return createHash('sha256').update(JSON.stringify([KAFKA_SASL_MECHANISM, scramFormatArgs()])).digest('hex').slice(0, 16);
}

const markerOf = (dataDir: string) => path.join(dataDir, 'security.json');

export function kafkaStorageMatches(dataDir: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(markerOf(dataDir), 'utf8')) as { fingerprint?: string }).fingerprint === kafkaSecurityFingerprint();
  } catch {
    return false;
  }
}

export function markKafkaStorage(dataDir: string): void {
  fs.writeFileSync(markerOf(dataDir), JSON.stringify({ mechanism: KAFKA_SASL_MECHANISM, fingerprint: kafkaSecurityFingerprint() }, null, 2));
}

/**
 * Makes the broker's ACLs of the service users those of common/kafkaAcls.ts: deletes the ones the
 * code no longer grants (a broker formatted before an access was narrowed keeps it otherwise),
 * then creates every one (creating one that exists is a no-op). Returns how many were deleted.
 */
export async function applyKafkaAcls(): Promise<{ applied: number; deleted: number }> {
  const admin = createKafka('stack-acls', createLogger('stack'), { security: kafkaUserSecurity('admin') }).admin();
  await admin.connect();
  try {
    const acl = kafkaAcls();
    const existing: AclEntry[] = [];
    for (const user of Object.values(KAFKA_USERS)) {
      const { resources } = await admin.describeAcls({
        principal: `User:${user}`, resourceType: AclResourceTypes.ANY, resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY,
      });
      for (const r of resources) for (const a of r.acls) existing.push({ ...a, resourceType: r.resourceType, resourceName: r.resourceName, resourcePatternType: r.resourcePatternType });
    }
    const stale = staleAcls(existing, acl);
    if (stale.length > 0) await admin.deleteAcls({ filters: stale });
    await admin.createAcls({ acl });
    return { applied: acl.length, deleted: stale.length };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Makes this process's Kafka clients (common/kafka.ts createKafka, which reads config) the stack's
 * admin: the test and bench processes act as the operator of the local stack, with no credentials
 * set by hand. Not when KAFKA_SASL_MECHANISM is set (a Kafka of one's own).
 */
export function actAsLocalKafkaAdmin(): void {
  if (process.env.KAFKA_SASL_MECHANISM) return;
  const sasl = kafkaUserSecurity('admin').sasl as { username: string; password: string };
  Object.assign(config, { kafkaSaslMechanism: KAFKA_SASL_MECHANISM, kafkaSaslUsername: sasl.username, kafkaSaslPassword: sasl.password });
}
