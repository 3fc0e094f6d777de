import { parse } from 'yaml';
import { fluentBitConfig } from '../../../lib/render/fluent-bit';
import { parseFleet, SpecError } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';
import { find, synthObjects } from '../../helpers/synth';

const kafka = { type: 'custom', section: { Name: 'kafka', brokers: 'kafka-0.example.com:9093', topics: 'k8s-logs', 'rdkafka.security.protocol': 'SASL_SSL', 'rdkafka.sasl.password': '${FLUENT_PASSWORD}', 'rdkafka.sasl.username': '${FLUENT_USER}' }, credentialsSecret: 'kafka-credentials' };

const errorsOf = (input: unknown): string[] => {
  try {
    parseFleet(input);
  } catch (e) {
    return (e as SpecError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a SpecError');
};

describe('custom Fluent Bit output', () => {
  it('renders the section as given, with kprod delivery defaults the section may override', () => {
    const config = fluentBitConfig({ cluster: 'c1', output: { type: 'custom', section: { Name: 'kafka', brokers: 'b:9093', Retry_Limit: 5, 'tls.verify': true } } });
    expect(config.pipeline.outputs).toEqual([{ name: 'kafka', match: '*', retry_limit: 5, 'storage.total_limit_size': '2G', brokers: 'b:9093', 'tls.verify': 'on' }]);
  });

  it('synthesizes into the logging ConfigMap, credentials only as Secret-backed environment references', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].addons.logging.output = kafka;
    const objects = synthObjects(fleet);
    const config = parse(find(objects, 'ConfigMap', 'fluent-bit', 'prod/eu-west-1/').data['fluent-bit.yaml']);
    expect(config.pipeline.outputs[0]).toMatchObject({ name: 'kafka', brokers: 'kafka-0.example.com:9093', 'rdkafka.sasl.password': '${FLUENT_PASSWORD}' });
    const ds = find(objects, 'DaemonSet', 'fluent-bit', 'prod/eu-west-1/');
    expect(ds.spec.template.spec.containers[0].env.map((e: any) => e.valueFrom.secretKeyRef.name)).toEqual(['kafka-credentials', 'kafka-credentials']);
  });

  it('rejects a section without a name, bad keys and values, and inline secrets, each with its path', () => {
    const fleet = exampleFleet();
    const at = 'environments[0].clusters[0].addons.logging.output.section';
    fleet.environments[0].clusters[0].addons.logging.output = { type: 'custom', section: { brokers: 'b', 'bad key': 'x', nested: { a: 1 }, http_passwd: 'hunter2' } };
    const errors = errorsOf(fleet);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${at.replace(/[[\].]/g, '\\$&')}\\.bad key: must be a Fluent Bit property name`)),
        `${at}.nested: must be a string, number or boolean`,
      ]),
    );
    fleet.environments[0].clusters[0].addons.logging.output = { type: 'custom', section: { brokers: 'b', http_passwd: 'hunter2' } };
    expect(errorsOf(fleet)).toEqual([
      `${at}: needs exactly one "name": the Fluent Bit output plugin, e.g. "kafka"`,
      expect.stringMatching(/\.section\.http_passwd: looks like a secret: give an environment reference/),
    ]);
  });
});
