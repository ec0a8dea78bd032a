import assert from 'node:assert/strict';
import { kafkaSecurity } from './kafka';

const local = { kafkaTls: false, kafkaSaslMechanism: 'none', kafkaSaslUsername: '', kafkaSaslPassword: '' } as const;

describe('Kafka connection security from KAFKA_TLS and KAFKA_SASL_*', () => {
  it('is plain for the local broker', () => {
    assert.deepEqual(kafkaSecurity(local), {});
  });

  it('is SASL_SSL with PLAIN for a managed Kafka such as OCI Streaming', () => {
    assert.deepEqual(kafkaSecurity({ kafkaTls: true, kafkaSaslMechanism: 'plain', kafkaSaslUsername: 'tenancy/user/ocid1.streampool', kafkaSaslPassword: 'token' }), {
      ssl: true,
      sasl: { mechanism: 'plain', username: 'tenancy/user/ocid1.streampool', password: 'token' },
    });
  });

  it('refuses a SASL mechanism without its credentials, naming the variables', () => {
    assert.throws(() => kafkaSecurity({ ...local, kafkaSaslMechanism: 'scram-sha-512', kafkaSaslUsername: 'u' }), /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
  });
});
