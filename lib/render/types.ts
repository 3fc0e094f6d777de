/** A file written onto a machine by kubeadm bootstrap (Cluster API `files[]` entry, v1beta2 field names). */
export interface HostFile {
  /** Absolute path on the host. */
  readonly path: string;
  /** File content (plain text). */
  readonly content: string;
  /** Octal mode as a string, e.g. "0644". @default "0644" */
  readonly permissions?: string;
  /** @default "root:root" */
  readonly owner?: string;
}

/** A kubeadm extra argument in the v1beta2 / kubeadm v1beta4 list form. */
export interface ExtraArg {
  readonly name: string;
  readonly value: string;
}
