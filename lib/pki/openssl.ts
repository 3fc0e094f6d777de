/**
 * The openssl rendering of a {@link CertificatePlan}: the `-subj` argument and the x509 v3
 * extension section, so that certificates issued with the openssl CLI match the plan exactly.
 */
import type { CertificatePlan, KeyUsage } from './etcd-plan';

const KEY_USAGE: Partial<Record<KeyUsage, string>> = {
  digital_signature: 'digitalSignature',
  key_encipherment: 'keyEncipherment',
  cert_signing: 'keyCertSign',
  crl_signing: 'cRLSign',
};
const EXT_KEY_USAGE: Partial<Record<KeyUsage, string>> = { server_auth: 'serverAuth', client_auth: 'clientAuth' };

/** `/O=.../CN=...` for `openssl req -subj`. */
export function opensslSubject(cert: CertificatePlan): string {
  return `${cert.organization ? `/O=${cert.organization}` : ''}/CN=${cert.commonName}`;
}

/** Lines of an openssl extension section (for `-extfile`). */
export function opensslExtensions(cert: CertificatePlan): string {
  const ku = cert.allowedUses.map((u) => KEY_USAGE[u]).filter(Boolean);
  const eku = cert.allowedUses.map((u) => EXT_KEY_USAGE[u]).filter(Boolean);
  const sans = [...cert.dnsNames.map((d) => `DNS:${d}`), ...cert.ipAddresses.map((ip) => `IP:${ip}`)];
  return [
    `basicConstraints = critical, CA:${cert.isCa ? 'TRUE' : 'FALSE'}`,
    ...(ku.length ? [`keyUsage = critical, ${ku.join(', ')}`] : []),
    ...(eku.length ? [`extendedKeyUsage = ${eku.join(', ')}`] : []),
    ...(sans.length ? [`subjectAltName = ${sans.join(', ')}`] : []),
    'subjectKeyIdentifier = hash',
    ...(cert.isCa ? [] : ['authorityKeyIdentifier = keyid']),
    '',
  ].join('\n');
}
