import assert from 'node:assert/strict';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { REPLAY_TOPIC, TOPICS } from './events/envelope';
import { KAFKA_USERS, kafkaAcls, staleAcls } from './kafkaAcls';

const grants = (acls: AclEntry[], operation: AclOperationTypes, topic: string): string[] =>
  acls.filter((a) => a.resourceType === AclResourceTypes.TOPIC && a.resourceName === topic && a.operation === operation).map((a) => a.principal).sort();

describe('the Kafka ACLs of the service users', () => {
  const acls = kafkaAcls();

  it('let only the actor host write the event topics, and only the subscribers write and read dead-letter-replays', () => {
    for (const topic of Object.values(TOPICS)) assert.deepEqual(grants(acls, AclOperationTypes.WRITE, topic), [`User:${KAFKA_USERS.actors}`], topic);
    assert.deepEqual(grants(acls, AclOperationTypes.WRITE, REPLAY_TOPIC), [`User:${KAFKA_USERS.subscribers}`]);
    assert.deepEqual(grants(acls, AclOperationTypes.READ, REPLAY_TOPIC), [`User:${KAFKA_USERS.subscribers}`]);
  });

  it('are applied so that a grant the code took away is deleted from the broker, and nobody else\'s ACLs are touched', () => {
    const write = (principal: string, topic: string): AclEntry => ({
      resourceType: AclResourceTypes.TOPIC, resourceName: topic, resourcePatternType: ResourcePatternTypes.LITERAL,
      principal, host: '*', operation: AclOperationTypes.WRITE, permissionType: AclPermissionTypes.ALLOW,
    });
    const oldGrant = write(`User:${KAFKA_USERS.subscribers}`, TOPICS.reminders);
    const someoneElses = write('User:ops-tool', TOPICS.reminders);
    assert.deepEqual(staleAcls([...acls, oldGrant, someoneElses], acls), [oldGrant]);
    assert.deepEqual(staleAcls(acls, acls), []);
  });
});
