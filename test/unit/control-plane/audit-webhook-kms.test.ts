import { parse } from 'yaml';
import { encryptionConfiguration, renderEncryptionConfiguration } from '../../../lib/render/encryption-config';
import { AUDIT_WEBHOOK_CONFIG_PATH, clusterConfiguration, controlPlaneFiles } from '../../../lib/render/kubeadm';
import { parseFleet, SpecError } from '../../../lib/spec';
import { checkObjects } from '../../helpers/check';
import { exampleFleet } from '../../helpers/fleet';

const argsOf = (list: ReadonlyArray<{ name: string; value: string }> = []) => Object.fromEntries(list.map((a) => [a.name, a.value]));

function staging(mutate: (cp: any) => void) {
  const input = exampleFleet();
  mutate(input.environments[1].clusters[0].controlPlane);
  return parseFleet(input).spec.environments[1].clusters[0];
}

describe('audit webhook backend (batch)', () => {
  it('adds the batch-mode webhook flags and mounts the kubeconfig file read from a Secret', () => {
    const cluster = staging((cp) => (cp.audit = { webhook: { batchMaxSize: 200 } }));
    const cc = clusterConfiguration(cluster);
    const args = argsOf(cc.apiServer?.extraArgs as any);
    expect(args).toMatchObject({
      'audit-webhook-config-file': AUDIT_WEBHOOK_CONFIG_PATH,
      'audit-webhook-mode': 'batch',
      'audit-webhook-batch-max-size': '200',
      'audit-webhook-batch-max-wait': '30s',
      'audit-webhook-batch-buffer-size': '10000',
      'audit-log-path': '/var/log/kubernetes/audit/audit.log',
    });
    expect(cc.apiServer?.extraVolumes).toEqual(expect.arrayContaining([expect.objectContaining({ hostPath: AUDIT_WEBHOOK_CONFIG_PATH, readOnly: true })]));
    const file = controlPlaneFiles(cluster).find((f) => f.path === AUDIT_WEBHOOK_CONFIG_PATH)!;
    expect(file).toEqual({ path: AUDIT_WEBHOOK_CONFIG_PATH, contentFrom: { secret: { name: 'dc1-audit-webhook', key: 'kubeconfig' } }, permissions: '0600', owner: 'root:root' });
    expect('content' in file).toBe(false);
  });

  it('no webhook flags without the option', () => {
    const args = argsOf(clusterConfiguration(staging(() => undefined)).apiServer?.extraArgs as any);
    expect(Object.keys(args).filter((k) => k.startsWith('audit-webhook'))).toEqual([]);
  });
});

describe('encryption at rest with KMS v2', () => {
  it('renders a kms v2 provider before identity, valid against the EncryptionConfiguration schema, with no key material', () => {
    const cluster = staging((cp) => (cp.encryptionAtRest = { provider: 'kms', kms: { name: 'vault', endpoint: 'unix:///var/run/kmsplugin/socket.sock' } }));
    const config = parse(renderEncryptionConfiguration(cluster, []));
    expect(config.resources[0].providers).toEqual([{ kms: { apiVersion: 'v2', name: 'vault', endpoint: 'unix:///var/run/kmsplugin/socket.sock', timeout: '3s' } }, { identity: {} }]);
    expect(checkObjects(config)).toEqual([]);
    expect(JSON.stringify(encryptionConfiguration(cluster, []))).not.toContain('secret":');
  });

  it('provider kms without kms settings, or kms settings with another provider, are errors with paths', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].controlPlane.encryptionAtRest = { provider: 'kms' };
    input.environments[0].clusters[0].controlPlane.encryptionAtRest = { kms: { name: 'vault', endpoint: 'unix:///run/kms.sock' } };
    let error: SpecError | undefined;
    try {
      parseFleet(input);
    } catch (e) {
      error = e as SpecError;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect(error!.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['environments[1].clusters[0].controlPlane.encryptionAtRest.kms', 'environments[0].clusters[0].controlPlane.encryptionAtRest.kms']),
    );
  });

  it('a kms endpoint that is not a unix socket is rejected', () => {
    expect(() => staging((cp) => (cp.encryptionAtRest = { provider: 'kms', kms: { name: 'vault', endpoint: 'tcp://10.0.0.1:9000' } }))).toThrow(/encryptionAtRest\.kms\.endpoint/);
  });
});

describe('KMS plugin socket', () => {
  it('mounts the directory of the plugin socket into the apiserver', () => {
    const cluster = staging((cp) => (cp.encryptionAtRest = { provider: 'kms', kms: { name: 'vault', endpoint: 'unix:///var/run/kmsplugin/socket.sock' } }));
    expect(clusterConfiguration(cluster).apiServer?.extraVolumes).toEqual(
      expect.arrayContaining([{ name: 'kms-socket', hostPath: '/var/run/kmsplugin', mountPath: '/var/run/kmsplugin', readOnly: false, pathType: 'DirectoryOrCreate' }]),
    );
    expect(clusterConfiguration(staging(() => undefined)).apiServer?.extraVolumes?.map((v) => v.name)).not.toContain('kms-socket');
  });
});
