/** The kube-apiserver AuthenticationConfiguration: when it is used, where it lives, and its content. */
import type { ClusterSpec } from '../../spec';
import { minorDistance } from '../../versions/skew';

export const AUTHENTICATION_CONFIG_DIR = '/etc/kubernetes/authentication';
export const AUTHENTICATION_CONFIG_PATH = `${AUTHENTICATION_CONFIG_DIR}/authentication-config.yaml`;

/**
 * Anonymous requests limited to the health endpoints through AuthenticationConfiguration
 * (KEP-4633: beta and on by default in 1.32, GA in 1.34). kubelet's probes of kube-apiserver
 * (httpGet /livez, /readyz) carry no credentials, so `--anonymous-auth=false` alone would fail them.
 */
export function usesAuthenticationConfig(cluster: Pick<ClusterSpec, 'kubernetesVersion'>): boolean {
  return minorDistance('1.32.0', cluster.kubernetesVersion) >= 0;
}

/**
 * The kube-apiserver AuthenticationConfiguration (1.32+): anonymous only for /livez, /readyz and
 * /healthz (CIS 1.2.1), plus the OIDC issuer as a JWT authenticator (`--oidc-*` flags cannot be
 * combined with `--authentication-config`). apiserver.config.k8s.io/v1 from 1.34, v1beta1 before.
 */
export function authenticationConfiguration(cluster: Pick<ClusterSpec, 'kubernetesVersion' | 'controlPlane'>): Record<string, unknown> {
  const oidc = cluster.controlPlane.oidc;
  const apiVersion = minorDistance('1.34.0', cluster.kubernetesVersion) >= 0 ? 'apiserver.config.k8s.io/v1' : 'apiserver.config.k8s.io/v1beta1';
  return {
    apiVersion,
    kind: 'AuthenticationConfiguration',
    anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] },
    ...(oidc
      ? {
          jwt: [
            {
              issuer: { url: oidc.issuerUrl, audiences: [oidc.clientId] },
              claimMappings: {
                username: { claim: oidc.usernameClaim, prefix: oidc.usernamePrefix },
                groups: { claim: oidc.groupsClaim, prefix: oidc.groupsPrefix },
              },
            },
          ],
        }
      : {}),
  };
}
