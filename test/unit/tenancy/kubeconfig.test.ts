import { parse } from 'yaml';
import { kubeconfigUnavailableReason, renderTenantKubeconfig, tenantKubeconfig } from '../../../lib/render/kubeconfig';
import { parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

function cluster(mutate: (input: any) => void = () => {}) {
  const input = exampleFleet();
  mutate(input);
  return parseFleet(input).spec.environments[0].clusters[0];
}

describe('tenant kubeconfig', () => {
  it('round-trips through YAML to the object it was built from', () => {
    const c = cluster();
    expect(parse(renderTenantKubeconfig(c, c.tenants[0]))).toEqual(tenantKubeconfig(c, c.tenants[0]));
  });

  it('dials the VIP when the endpoint has no DNS name', () => {
    const c = cluster((i) => (i.environments[0].clusters[0].controlPlane.endpoint.dnsNames = []));
    const config = tenantKubeconfig(c, c.tenants[1]) as any;
    expect(config.clusters[0].cluster.server).toBe(`https://${c.controlPlane.endpoint.vip}:8443`);
    expect(config.contexts).toEqual([{ name: 'prod-eu-west-1-ml-training', context: { cluster: 'prod-eu-west-1', user: 'prod-eu-west-1-oidc', namespace: 'ml-training' } }]);
  });

  it('requests the email scope only when the username claim is email', () => {
    const withSub = cluster((i) => (i.environments[0].clusters[0].controlPlane.oidc.usernameClaim = 'sub'));
    const args = (c: any) => (tenantKubeconfig(c, c.tenants[0]) as any).users[0].user.exec.args as string[];
    expect(args(cluster())).toContain('--oidc-extra-scope=email');
    expect(args(withSub).some((a) => a.startsWith('--oidc-extra-scope'))).toBe(false);
  });

  it('refuses to render without OIDC and says why', () => {
    const c = cluster((i) => delete i.environments[0].clusters[0].controlPlane.oidc);
    expect(kubeconfigUnavailableReason(c)).toMatch(/oidc/);
    expect(() => tenantKubeconfig(c, c.tenants[0])).toThrow(/controlPlane\.oidc is not set/);
  });

  it('tells the reader where the cluster CA comes from', () => {
    const c = cluster();
    const text = renderTenantKubeconfig(c, c.tenants[0]);
    expect(text).toContain('get secret eu-west-1-ca');
    expect(text).toContain('-n prod-eu-west-1');
    expect(text).not.toMatch(/certificate-authority-data|insecure-skip-tls-verify/);
  });
});
