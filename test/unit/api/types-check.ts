/**
 * Type-level checks of lib/api, compiled by generated.test.ts (and by `tsc -p tsconfig.json`).
 * The objects without a directive must compile; every `@ts-expect-error` marks a wrong shape the
 * generated types must reject (an unused directive is itself a compile error, TS2578).
 * Nothing here runs.
 */
import type {
  CapiCluster,
  KubeadmConfigTemplate,
  KubeadmControlPlane,
  MachineDeployment,
  MachineHealthCheck,
  Metal3Cluster,
  Metal3MachineTemplate,
  OpenStackCluster,
  OpenStackMachineTemplate,
} from '../../../lib/api';

const metadata = { name: 'prod-1', namespace: 'capi-prod-1' };
const machineTemplate = { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'cp' } } };

// --- accepted: the v1beta2 shapes kprod writes ---

export const kcp: KubeadmControlPlane = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata,
  spec: {
    replicas: 3,
    version: 'v1.33.4',
    machineTemplate,
    kubeadmConfigSpec: {
      clusterConfiguration: { apiServer: { extraArgs: [{ name: 'profiling', value: 'false' }] } },
      files: [{ path: '/etc/x', contentFrom: { secret: { name: 's', key: 'k' } } }],
    },
    rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
  },
};

export const md: MachineDeployment = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineDeployment',
  metadata,
  spec: {
    clusterName: 'prod-1',
    selector: { matchLabels: { pool: 'a' } },
    // x-kubernetes-int-or-string: a number or a percentage.
    rollout: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } },
    template: {
      spec: {
        clusterName: 'prod-1',
        bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'w' } },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'w' },
      },
    },
  },
};

export const cluster: CapiCluster = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata,
  spec: {
    controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'cp' },
    // x-kubernetes-preserve-unknown-fields without a type: any JSON value.
    topology: { classRef: { name: 'c' }, version: 'v1.33.4', variables: [{ name: 's', value: 'text' }, { name: 'o', value: { a: [1] } }] },
  },
};

export const mhc: MachineHealthCheck = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineHealthCheck',
  metadata,
  spec: {
    clusterName: 'prod-1',
    selector: { matchLabels: {} },
    checks: { nodeStartupTimeoutSeconds: 600, unhealthyNodeConditions: [{ type: 'Ready', status: 'False', timeoutSeconds: 300 }] },
    remediation: { triggerIf: { unhealthyLessThanOrEqualTo: '40%' } },
  },
};

export const kct: KubeadmConfigTemplate = {
  apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmConfigTemplate',
  metadata,
  spec: { template: { spec: { joinConfiguration: { nodeRegistration: { kubeletExtraArgs: [{ name: 'node-labels', value: 'a=b' }] } } } } },
};

export const osc: OpenStackCluster = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'OpenStackCluster',
  metadata,
  spec: { identityRef: { type: 'Secret', name: 'cloud', cloudName: 'openstack' }, disableAPIServerFloatingIP: true, apiServerFixedIP: '10.0.0.10' },
};

export const osmt: OpenStackMachineTemplate = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'OpenStackMachineTemplate',
  metadata,
  spec: { template: { spec: { flavor: 'm1.large', image: { filter: { name: 'ubuntu' } }, ports: [{ allowedAddressPairs: [{ ipAddress: '10.0.0.10' }] }] } } },
};

export const m3c: Metal3Cluster = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'Metal3Cluster',
  metadata,
  spec: { controlPlaneEndpoint: { host: '10.0.0.10', port: 6443 } },
};

export const m3mt: Metal3MachineTemplate = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'Metal3MachineTemplate',
  metadata,
  spec: { template: { spec: { image: { url: 'http://img/u.qcow2', checksum: 'http://img/u.sha256' }, automatedCleaningMode: 'metadata' } } },
};

// --- rejected: misspellings and v1beta1 shapes ---

export const misspeltReplicas: KubeadmControlPlane = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata,
  spec: {
    // @ts-expect-error `replica` is not a field (`replicas` is)
    replica: 3,
    version: 'v1.33.4',
    machineTemplate,
  },
};

export const mapExtraArgs: KubeadmControlPlane = {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'KubeadmControlPlane',
  metadata,
  spec: {
    version: 'v1.33.4',
    machineTemplate,
    // @ts-expect-error v1beta1 extraArgs map; v1beta2 takes a list of {name, value}
    kubeadmConfigSpec: { clusterConfiguration: { apiServer: { extraArgs: { profiling: 'false' } } } },
  },
};

export const oldKcpVersion: KubeadmControlPlane = {
  // @ts-expect-error kprod writes KubeadmControlPlane only as v1beta2
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
  kind: 'KubeadmControlPlane',
  metadata,
  spec: { version: 'v1.33.4', machineTemplate },
};

export const oldStyleRef: CapiCluster = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata,
  spec: {
    // @ts-expect-error v1beta1 ObjectReference (apiVersion, no apiGroup)
    controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', name: 'cp' },
  },
};

export const durationString: MachineHealthCheck = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachineHealthCheck',
  metadata,
  spec: {
    clusterName: 'prod-1',
    selector: {},
    // @ts-expect-error v1beta1 duration string; v1beta2 takes nodeStartupTimeoutSeconds
    checks: { nodeStartupTimeout: '10m' },
  },
};

export const booleanSurge: MachineDeployment['spec']['rollout'] = {
  // @ts-expect-error int-or-string takes no boolean
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } },
};

export const unknownRollout: MachineDeployment['spec']['rollout'] = {
  // @ts-expect-error strategy type is an enum (RollingUpdate, OnDelete)
  strategy: { type: 'Recreate' },
};

export const misspeltFixedIp: OpenStackCluster['spec'] = {
  identityRef: { type: 'Secret', name: 'cloud', cloudName: 'openstack' },
  // @ts-expect-error the field is apiServerFixedIP
  apiServerFixedIp: '10.0.0.10',
};

export const unknownCleaning: Metal3MachineTemplate['spec'] = {
  // @ts-expect-error automatedCleaningMode is metadata or disabled
  template: { spec: { image: { url: 'u', checksum: 'c' }, automatedCleaningMode: 'full' } },
};
