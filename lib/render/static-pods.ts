/**
 * Shared shape of the endpoint static pods (HAProxy, keepalived, kube-vip): host network,
 * node-critical priority, kube-system, and validated against the core/v1 Pod schema so a typo
 * in a field name fails at synth time rather than on the machine.
 */
import { Pod } from 'kubernetes-models/v1';
import { yamlText } from './yaml-text';

/** Directory the kubelet reads static pod manifests from (kubeadm default `staticPodPath`). */
export const STATIC_POD_DIR = '/etc/kubernetes/manifests';

/** A read-only (unless said otherwise) hostPath mount of one file or directory. */
export interface HostMount {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  /** @default "File" */
  readonly type?: 'File' | 'Directory' | 'FileOrCreate' | 'DirectoryOrCreate';
  /** @default true */
  readonly readOnly?: boolean;
}

export interface StaticPodOptions {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly mounts?: readonly HostMount[];
  /** Linux capabilities added to the container. @default [] */
  readonly capabilities?: readonly string[];
  /** Resource requests; endpoint pods are small but must never be starved. @default { cpu: "50m", memory: "64Mi" } */
  readonly requests?: Readonly<Record<string, string>>;
  /** Host aliases, e.g. `kubernetes` → 127.0.0.1 for kube-vip. @default [] */
  readonly hostAliases?: readonly { ip: string; hostnames: string[] }[];
}

/** Builds and validates a static pod; throws (naming the pod) when the object is not a valid core/v1 Pod. */
export function staticPod(opts: StaticPodOptions): Pod {
  const mounts = opts.mounts ?? [];
  const pod = new Pod({
    metadata: { name: opts.name, namespace: 'kube-system', labels: { component: opts.name, tier: 'control-plane' } },
    spec: {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      ...(opts.hostAliases?.length ? { hostAliases: opts.hostAliases.map((a) => ({ ip: a.ip, hostnames: [...a.hostnames] })) } : {}),
      containers: [
        {
          name: opts.name,
          image: opts.image,
          imagePullPolicy: 'IfNotPresent',
          ...(opts.command ? { command: [...opts.command] } : {}),
          ...(opts.args ? { args: [...opts.args] } : {}),
          ...(opts.env ? { env: Object.entries(opts.env).map(([name, value]) => ({ name, value })) } : {}),
          resources: { requests: { cpu: '50m', memory: '64Mi', ...(opts.requests ?? {}) } },
          securityContext: {
            allowPrivilegeEscalation: false,
            // Everything dropped, only what the daemon needs added back.
            capabilities: { drop: ['ALL'], ...(opts.capabilities?.length ? { add: [...opts.capabilities] } : {}) },
          },
          volumeMounts: mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly ?? true })),
        },
      ],
      volumes: mounts.map((m) => ({ name: m.name, hostPath: { path: m.hostPath, type: m.type ?? 'File' } })),
    },
  });
  try {
    pod.validate();
  } catch (e) {
    throw new Error(`static pod ${opts.name}: invalid core/v1 Pod: ${(e as Error).message}`);
  }
  return pod;
}

/** The manifest text of a static pod. */
export function staticPodYaml(pod: Pod): string {
  return yamlText(pod.toJSON(), { lineWidth: 0 });
}
