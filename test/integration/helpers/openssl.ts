/** Issues certificates with the openssl CLI following a {@link CertificatePlan}. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CertificatePlan } from '../../../lib/pki/etcd-plan';
import { opensslExtensions, opensslSubject } from '../../../lib/pki/openssl';

export interface IssuedCert {
  readonly cert: string;
  readonly key: string;
}

function run(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates the key and certificate of `plan` in `dir` (self-signed when `issuer` is absent). */
export function issue(plan: CertificatePlan, dir: string, issuer?: IssuedCert): IssuedCert {
  fs.mkdirSync(dir, { recursive: true });
  const key = path.join(dir, plan.keyFile);
  const cert = path.join(dir, plan.certFile);
  const ext = path.join(dir, `${plan.id}.ext`);
  fs.writeFileSync(ext, `[req]\ndistinguished_name = dn\n[dn]\n[v3]\n${opensslExtensions(plan)}`);
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  const days = String(Math.ceil(plan.validityHours / 24));
  if (!issuer) {
    run(['req', '-new', '-x509', '-key', key, '-subj', opensslSubject(plan), '-days', days, '-extensions', 'v3', '-config', ext, '-out', cert]);
  } else {
    const csr = path.join(dir, `${plan.id}.csr`);
    run(['req', '-new', '-key', key, '-subj', opensslSubject(plan), '-config', ext, '-out', csr]);
    run(['x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-CAcreateserial', '-days', days, '-extfile', ext, '-extensions', 'v3', '-out', cert]);
  }
  fs.chmodSync(key, 0o600);
  return { cert, key };
}

/** `openssl x509 -text` of a certificate. */
export function certText(cert: string): string {
  return execFileSync('openssl', ['x509', '-in', cert, '-noout', '-text']).toString();
}
