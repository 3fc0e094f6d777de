import { ApiObject, type Chart } from 'cdk8s';
import type { PolicyRule } from '../../lib/rbac/objects';
import { workloadRbac } from '../rbac';

/**
 * The skeleton shared by kprod's per-node agents (node-problem-detector, Fluent Bit): a
 * ServiceAccount bound to a ClusterRole `kprod:<name>`, and a DaemonSet on every node.
 */
export interface NodeAgent {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** A hostPath volume. */
export const hostPathVolume = (name: string, path: string, type: string) => ({ name, hostPath: { path, type } });

/** The agent's ServiceAccount, its ClusterRole `kprod:<name>` with `rules`, and their binding. */
export function nodeAgentRbac(chart: Chart, agent: NodeAgent, rules: object[]): void {
  const { name, namespace, labels } = agent;
  workloadRbac(chart, { name, namespace, labels, clusterRules: rules as PolicyRule[], clusterRoleName: `kprod:${name}` });
}

/**
 * The agent's DaemonSet: every node, tainted control-plane and dedicated pools included
 * (tolerates every NoSchedule and NoExecute taint), `system-node-critical`, rolled 10% at a time.
 * `podSpec` adds the containers, volumes and host settings.
 */
export function nodeAgentDaemonSet(chart: Chart, agent: NodeAgent, podSpec: Record<string, unknown>): void {
  const { name, namespace, labels } = agent;
  new ApiObject(chart, 'daemonset', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }],
          ...podSpec,
        },
      },
    },
  });
}
