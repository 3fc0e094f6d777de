import { yamlText } from './yaml-text';

/** Where the audit policy lands on control-plane machines (read by kube-apiserver). */
export const AUDIT_POLICY_PATH = '/etc/kubernetes/audit-policy.yaml';
/** Directory of the audit log (mounted read-write into the kube-apiserver static pod). */
export const AUDIT_LOG_DIR = '/var/log/kubernetes/audit';
export const AUDIT_LOG_PATH = `${AUDIT_LOG_DIR}/audit.log`;

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * The audit.k8s.io/v1 Policy of every cluster. First matching rule wins:
 * 1. health probes, kube-proxy and node self-reads, leader-election leases and events: None (noise);
 * 2. Secrets, ConfigMaps, service-account tokens and token/access reviews: Metadata only, so that
 *    secret values and tokens never reach the audit log;
 * 3. RBAC changes: RequestResponse (who granted what, and what the server stored);
 * 4. other writes: Request; 5. everything else (reads): Metadata.
 */
export function auditPolicy(): Record<string, unknown> {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    omitManagedFields: true,
    rules: [
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/version/'] },
      {
        level: 'None',
        users: ['system:kube-proxy'],
        verbs: ['watch'],
        resources: [
          { group: '', resources: ['endpoints', 'services', 'services/status'] },
          { group: 'discovery.k8s.io', resources: ['endpointslices'] },
        ],
      },
      { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
      {
        level: 'None',
        users: ['system:kube-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
        verbs: ['get', 'update'],
        namespaces: ['kube-system'],
        resources: [
          { group: 'coordination.k8s.io', resources: ['leases'] },
          { group: '', resources: ['endpoints'] },
        ],
      },
      { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
          { group: 'authorization.k8s.io', resources: ['subjectaccessreviews', 'selfsubjectaccessreviews', 'localsubjectaccessreviews'] },
        ],
      },
      { level: 'RequestResponse', verbs: WRITE_VERBS, resources: [{ group: 'rbac.authorization.k8s.io' }] },
      { level: 'Request', verbs: WRITE_VERBS },
      { level: 'Metadata' },
    ],
  };
}

export function renderAuditPolicy(): string {
  return yamlText(auditPolicy());
}
