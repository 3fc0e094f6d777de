/**
 * Issuing certificates with @pulumi/tls from a plan. Private keys and certificates are Pulumi
 * secrets: they are encrypted in the state and never leave the stack except into Kubernetes
 * Secrets or onto the hosts that need them.
 */
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import type { CertificatePlan } from '../../lib/pki/etcd-plan';

/** Validity and renewal of issued certificates (stack config `kprod:pki`). */
export interface CertificateLifetimes {
  /** CA validity. @default 87600 (10 years) */
  readonly caValidityHours: number;
  /** Leaf validity. @default 8760 (1 year) */
  readonly leafValidityHours: number;
  /** `pulumi up` re-issues a leaf this long before it expires. @default 720 (30 days) */
  readonly earlyRenewalHours: number;
}

export const DEFAULT_LIFETIMES: CertificateLifetimes = { caValidityHours: 87600, leafValidityHours: 8760, earlyRenewalHours: 720 };

/** A key pair with its PEM certificate; both outputs are secrets. */
export interface IssuedCert {
  readonly certPem: pulumi.Output<string>;
  readonly keyPem: pulumi.Output<string>;
}

const SECRET_KEY = { additionalSecretOutputs: ['privateKeyPem', 'privateKeyOpenssh', 'privateKeyPemPkcs8'] };

/** Key algorithm: ECDSA P256 unless RSA is needed for compatibility. @default "ECDSA" */
export type KeyAlgorithm = 'ECDSA' | 'RSA';

export function privateKey(name: string, parent: pulumi.Resource, algorithm: KeyAlgorithm = 'ECDSA'): tls.PrivateKey {
  const args = algorithm === 'RSA' ? { algorithm: 'RSA', rsaBits: 2048 } : { algorithm: 'ECDSA', ecdsaCurve: 'P256' };
  return new tls.PrivateKey(name, args, { parent, ...SECRET_KEY });
}

/** A self-signed CA. */
export function selfSignedCa(
  name: string,
  plan: Pick<CertificatePlan, 'commonName' | 'organization' | 'allowedUses'>,
  lifetimes: CertificateLifetimes,
  parent: pulumi.Resource,
  algorithm: KeyAlgorithm = 'ECDSA',
): IssuedCert {
  const key = privateKey(`${name}-key`, parent, algorithm);
  const cert = new tls.SelfSignedCert(
    `${name}-cert`,
    {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      subject: { commonName: plan.commonName, ...(plan.organization ? { organization: plan.organization } : {}) },
      allowedUses: [...plan.allowedUses],
      validityPeriodHours: lifetimes.caValidityHours,
      earlyRenewalHours: lifetimes.earlyRenewalHours,
      setSubjectKeyId: true,
    },
    { parent },
  );
  return { certPem: pulumi.secret(cert.certPem), keyPem: pulumi.secret(key.privateKeyPem) };
}

/** A leaf (or intermediate) signed by `ca`. The validity is the smaller of the plan's and the configured one. */
export function signedCert(name: string, plan: CertificatePlan, ca: IssuedCert, lifetimes: CertificateLifetimes, parent: pulumi.Resource): IssuedCert {
  const key = privateKey(`${name}-key`, parent);
  const csr = new tls.CertRequest(
    `${name}-csr`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: plan.commonName, ...(plan.organization ? { organization: plan.organization } : {}) },
      dnsNames: [...plan.dnsNames],
      ipAddresses: [...plan.ipAddresses],
    },
    { parent },
  );
  const cert = new tls.LocallySignedCert(
    `${name}-cert`,
    {
      certRequestPem: csr.certRequestPem,
      caCertPem: ca.certPem,
      caPrivateKeyPem: ca.keyPem,
      allowedUses: [...plan.allowedUses],
      isCaCertificate: plan.isCa,
      validityPeriodHours: plan.isCa ? lifetimes.caValidityHours : lifetimes.leafValidityHours,
      earlyRenewalHours: lifetimes.earlyRenewalHours,
    },
    { parent },
  );
  return { certPem: pulumi.secret(cert.certPem), keyPem: pulumi.secret(key.privateKeyPem) };
}
