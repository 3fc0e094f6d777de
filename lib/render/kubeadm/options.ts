/** Options of the kubeadm rendering (CIS-related switches callers may turn). */
import type { AdmissionOptions } from '../admission-config';

/** Options of the kubeadm rendering. */
export interface KubeadmOptions extends AdmissionOptions {
  /**
   * Verify kubelet serving certificates against the cluster CA (`--kubelet-certificate-authority`, CIS 1.2.5).
   * Needs kubelets with `serverTLSBootstrap: true` AND an approver of `kubernetes.io/kubelet-serving`
   * CSRs in the cluster (kube-controller-manager does not approve them); without one, logs/exec fail.
   * @default true
   */
  readonly verifyKubeletServingCerts?: boolean;
  /**
   * `--terminated-pod-gc-threshold` of kube-controller-manager (CIS 1.3.1).
   * @default 1000
   */
  readonly terminatedPodGcThreshold?: number;
  /**
   * kube-apiserver `--request-timeout`.
   * @default "60s"
   */
  readonly requestTimeout?: string;
}
