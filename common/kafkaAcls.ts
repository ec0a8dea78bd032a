/**
 * Who may do what on Kafka: one SASL user per service, and the ACLs the broker's StandardAuthorizer
 * enforces for it (no ACL, no access: allow.everyone.if.no.acl.found=false). Only the actor host
 * writes the event topics; each consumer group reads only its topics; the others write only the
 * dead-letter topics of what they read, and the subscribers dead-letter-replays, which only their
 * own groups read (an operator's replay: subscribers/deadLetters/README.md). The local stack creates these users and
 * ACLs (stack/kafka/security.ts); a cluster's Kafka gets the same (helm/README.md lists them).
 * Every service may describe and create the project's topics, and set the dead-letter topics'
 * retention (ensureTopics runs at every start).
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { SERVICE_APP_IDS } from './config';
import { ALL_TOPICS, deadLetterTopic, REPLAY_TOPIC, TOPICS } from './events/envelope';

/** The Kafka user of each service is its Dapr app id. */
export const KAFKA_USERS = SERVICE_APP_IDS;
export type KafkaService = keyof typeof KAFKA_USERS;

export interface ServiceAcls {
  writes: readonly string[];
  reads: readonly string[];
  /** Consumer groups, by exact name or (ending in *) by prefix. */
  groups: readonly string[];
}

/** Consumer groups (subscribers/audit/auditConsumer.ts, subscribers/notifications/reminderEvents.ts, gateway/stream/syncConsumer.ts). */
const AUDIT = 'audit';
const NOTIFICATIONS = 'notifications';
const SYNC_PREFIX = 'sync-*';
/** subscribers/deadLetters/deadLetterIndex.ts */
const DEAD_LETTER_INDEX = 'dead-letter-index';

export const SERVICE_ACLS: Record<KafkaService, ServiceAcls> = {
  actors: { writes: [TOPICS.taskEvents, TOPICS.reminders, TOPICS.taskUpdates], reads: [], groups: [] },
  subscribers: {
    // Besides its dead letters, dead-letter-replays: an operator's replay of a dead letter, marked for
    // the group that failed it (subscribers/deadLetters/adminApi.ts, Replayer). Never the event
    // topics: a replay there would let this user put events before the gateway's device streams.
    writes: [deadLetterTopic(TOPICS.taskEvents), deadLetterTopic(TOPICS.reminders), REPLAY_TOPIC],
    // The dead-letter index reads every dead-letter topic, the gateway's too.
    reads: [TOPICS.taskEvents, TOPICS.reminders, REPLAY_TOPIC, ...Object.values(TOPICS).map(deadLetterTopic)],
    groups: [AUDIT, NOTIFICATIONS, DEAD_LETTER_INDEX],
  },
  gateway: { writes: [deadLetterTopic(TOPICS.taskUpdates)], reads: [TOPICS.taskUpdates], groups: [SYNC_PREFIX] },
};

function entry(principal: string, resourceType: AclResourceTypes, name: string, operation: AclOperationTypes): AclEntry {
  const prefixed = name.endsWith('*');
  return {
    resourceType, resourceName: prefixed ? name.slice(0, -1) : name,
    resourcePatternType: prefixed ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    principal, host: '*', operation, permissionType: AclPermissionTypes.ALLOW,
  };
}

/** Every ACL of every service user, as kafkajs's admin.createAcls takes them. */
export function kafkaAcls(users: Record<KafkaService, string> = KAFKA_USERS): AclEntry[] {
  const out: AclEntry[] = [];
  for (const service of Object.keys(SERVICE_ACLS) as KafkaService[]) {
    const a = SERVICE_ACLS[service];
    const p = `User:${users[service]}`;
    for (const t of ALL_TOPICS) out.push(entry(p, AclResourceTypes.TOPIC, t, AclOperationTypes.DESCRIBE), entry(p, AclResourceTypes.TOPIC, t, AclOperationTypes.CREATE));
    // ensureTopics sets each dead-letter topic's own retention (DLT_RETENTION_*) at every start.
    for (const t of ALL_TOPICS.filter((x) => x.endsWith('.dlt'))) out.push(entry(p, AclResourceTypes.TOPIC, t, AclOperationTypes.ALTER_CONFIGS));
    for (const t of a.writes) out.push(entry(p, AclResourceTypes.TOPIC, t, AclOperationTypes.WRITE));
    for (const t of a.reads) out.push(entry(p, AclResourceTypes.TOPIC, t, AclOperationTypes.READ));
    for (const g of a.groups) out.push(entry(p, AclResourceTypes.GROUP, g, AclOperationTypes.READ), entry(p, AclResourceTypes.GROUP, g, AclOperationTypes.DESCRIBE));
    if (a.writes.length) out.push(entry(p, AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.IDEMPOTENT_WRITE));
  }
  return out;
}

const aclKey = (a: AclEntry): string =>
  [a.resourceType, a.resourceName, a.resourcePatternType, a.principal, a.host, a.operation, a.permissionType].join('|');

/**
 * The ACLs a broker holds for the service users that kafkaAcls() no longer grants (an access
 * narrowed since the broker got it): deleted when the stack applies its ACLs, so a broker never
 * keeps a right the code took away. ACLs of other principals are not the project's and stay.
 */
export function staleAcls(existing: readonly AclEntry[], desired: readonly AclEntry[] = kafkaAcls(), users: Record<KafkaService, string> = KAFKA_USERS): AclEntry[] {
  const ours = new Set(Object.values(users).map((u) => `User:${u}`));
  const want = new Set(desired.map(aclKey));
  return existing.filter((a) => ours.has(a.principal) && !want.has(aclKey(a)));
}
