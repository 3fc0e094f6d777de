import { etcdTlsPlan } from '../../../lib/pki/etcd-plan';
import { opensslExtensions, opensslSubject } from '../../../lib/pki/openssl';

describe('etcdTlsPlan', () => {
  const plan = etcdTlsPlan(
    [
      { name: 'etcd-0', ip: '10.0.1.10' },
      { name: 'etcd-1', ip: '10.0.1.11' },
    ],
    { clusterName: 'c1' },
  );

  it('gives server and peer certificates the member name, IP and loopback as SANs', () => {
    for (const { member, server, peer } of plan.members) {
      for (const cert of [server, peer]) {
        expect(cert.dnsNames).toEqual([member.name, 'localhost']);
        expect(cert.ipAddresses).toEqual([member.ip, '127.0.0.1']);
        expect(cert.allowedUses).toEqual(expect.arrayContaining(['server_auth', 'client_auth']));
        expect(cert.isCa).toBe(false);
      }
    }
  });

  it('issues client-only certificates to the apiserver and the health check', () => {
    for (const c of [plan.apiserverClient, plan.healthcheckClient]) {
      expect(c.allowedUses).toContain('client_auth');
      expect(c.allowedUses).not.toContain('server_auth');
      expect(c.dnsNames).toEqual([]);
    }
    expect(plan.apiserverClient.commonName).toBe('kube-apiserver-etcd-client');
  });

  it('makes the CA a CA that outlives its leaves', () => {
    expect(plan.ca.isCa).toBe(true);
    expect(plan.ca.allowedUses).toContain('cert_signing');
    expect(plan.ca.validityHours).toBeGreaterThan(plan.apiserverClient.validityHours);
  });

  it('rejects repeated member names, listing each once', () => {
    const m = (name: string) => ({ name, ip: '1.1.1.1' });
    expect(() => etcdTlsPlan([m('a'), m('a'), m('a'), m('b'), m('b')], { clusterName: 'c' })).toThrow(/member names repeat: a, b$/);
  });

  it('renders openssl extensions matching the plan', () => {
    const ext = opensslExtensions(plan.members[1].server);
    expect(ext).toContain('subjectAltName = DNS:etcd-1, DNS:localhost, IP:10.0.1.11, IP:127.0.0.1');
    expect(ext).toContain('extendedKeyUsage = serverAuth, clientAuth');
    expect(ext).toContain('basicConstraints = critical, CA:FALSE');
    expect(opensslExtensions(plan.ca)).toContain('keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign, cRLSign');
    expect(opensslSubject(plan.ca)).toBe('/O=kprod/CN=c1-etcd-ca');
  });
});
