/**
 * The per-cluster etcd restore runbook (`dist/<env>/<cluster>/runbooks/etcd-restore.md`): typed
 * data first (`etcdRestoreData`: members, addresses, paths, certificates of this cluster), then
 * markdown rendered from it. Covers the three recovery paths: replace a failed member from the
 * survivors (member remove/add), move a member's data to a new machine, and restore the whole
 * cluster from the last snapshot with this cluster's --initial-cluster.
 */
import { ETCD_PKI_DIR, KUBEADM_ETCD_PKI_DIR } from '../pki/etcd-plan';
import type { ClusterSpec } from '../spec';
import { ETCD_CLIENT_PORT, ETCD_CONFIG_PATH, ETCD_DATA_DIR, ETCD_PEER_PORT } from './etcd';

export interface RunbookMember {
  /** Member name; for stacked etcd the control-plane node name, unknown before the machines exist. */
  readonly name: string;
  /** Member IP; a placeholder for stacked etcd. */
  readonly ip: string;
}

/** Everything the runbook needs about one etcd cluster of a Kubernetes cluster. */
export interface EtcdRestoreData {
  readonly cluster: string;
  readonly environment: string;
  /** "main" (the apiserver's data) or "events" (the separate events cluster). */
  readonly role: 'main' | 'events';
  readonly topology: 'stacked' | 'external';
  readonly members: readonly RunbookMember[];
  readonly dataDir: string;
  /** etcdctl TLS flags for this cluster's members. */
  readonly cacert: string;
  readonly cert: string;
  readonly key: string;
  /** Where the member's settings live: the kubeadm static pod manifest or the etcd config file. */
  readonly memberConfig: string;
  /** How to stop and start a member. */
  readonly stop: string;
  readonly start: string;
  readonly initialClusterToken: string;
  /** Where snapshots are (stacked: the backup hostPath on control-plane nodes). */
  readonly snapshots: string;
}

const STATIC_POD = '/etc/kubernetes/manifests/etcd.yaml';

/** The runbook data of each etcd cluster of `cluster` (main, then events when present). */
export function etcdRestoreData(cluster: ClusterSpec): EtcdRestoreData[] {
  const etcd = cluster.controlPlane.etcd;
  const base = { cluster: cluster.name, environment: cluster.environment };
  if (etcd.topology === 'stacked') {
    const pki = KUBEADM_ETCD_PKI_DIR;
    const members = Array.from({ length: cluster.controlPlane.replicas }, (_, i) => ({ name: `<control-plane-node-${i + 1}>`, ip: `<node-${i + 1}-ip>` }));
    return [
      {
        ...base,
        role: 'main',
        topology: 'stacked',
        members,
        dataDir: ETCD_DATA_DIR,
        cacert: `${pki}/ca.crt`,
        cert: `${pki}/healthcheck-client.crt`,
        key: `${pki}/healthcheck-client.key`,
        memberConfig: STATIC_POD,
        stop: `mv ${STATIC_POD} /root/etcd.yaml.stopped   # the kubelet stops the static pod`,
        start: `mv /root/etcd.yaml.stopped ${STATIC_POD}`,
        initialClusterToken: 'etcd-cluster',
        snapshots: `${etcd.backup.hostPath}/etcd-snapshot-<node>-<UTC timestamp>.db on the control-plane nodes${etcd.backup.upload ? `, and s3://${etcd.backup.upload.bucket}/${etcd.backup.upload.prefix ?? `${cluster.environment}/${cluster.name}/`} at ${etcd.backup.upload.endpoint}` : ''}`,
      },
    ];
  }
  const external = (role: 'main' | 'events', members: readonly RunbookMember[]): EtcdRestoreData => ({
    ...base,
    role,
    topology: 'external',
    members: members.map((m) => ({ name: m.name, ip: m.ip })),
    dataDir: ETCD_DATA_DIR,
    cacert: `${ETCD_PKI_DIR}/ca.crt`,
    cert: `${ETCD_PKI_DIR}/server.crt`,
    key: `${ETCD_PKI_DIR}/server.key`,
    memberConfig: ETCD_CONFIG_PATH,
    stop: 'systemctl stop etcd.service',
    start: 'systemctl start etcd.service',
    initialClusterToken: role === 'main' ? `${cluster.name}-etcd` : `${cluster.name}-etcd-events`,
    snapshots: 'the snapshots taken on the etcd VMs (etcdctl snapshot save on a member; see docs/etcd-restore.md)',
  });
  const out = [external('main', etcd.external?.members ?? [])];
  if (etcd.events) out.push(external('events', etcd.events.members));
  return out;
}

const peerUrl = (m: RunbookMember) => `https://${m.ip}:${ETCD_PEER_PORT}`;
const clientUrl = (m: RunbookMember) => `https://${m.ip}:${ETCD_CLIENT_PORT}`;

function section(d: EtcdRestoreData): string {
  const ctl = `ETCDCTL_API=3 etcdctl --cacert=${d.cacert} --cert=${d.cert} --key=${d.key}`;
  const endpoints = d.members.map(clientUrl).join(',');
  const initialCluster = d.members.map((m) => `${m.name}=${peerUrl(m)}`).join(',');
  const title = d.role === 'events' ? 'events etcd cluster' : 'etcd cluster';
  const memberRows = d.members.map((m) => `| ${m.name} | ${m.ip} | ${peerUrl(m)} | ${clientUrl(m)} |`).join('\n');
  const quorum = Math.floor(d.members.length / 2) + 1;
  const lines = [
    `## The ${title} (${d.topology}, ${d.members.length} members, quorum ${quorum})`,
    '',
    '| member | IP | peer URL | client URL |',
    '|---|---|---|---|',
    memberRows,
    '',
    `Data directory \`${d.dataDir}\`; member settings in \`${d.memberConfig}\`; cluster token \`${d.initialClusterToken}\`.`,
    `Snapshots: ${d.snapshots}.`,
    d.topology === 'stacked'
      ? 'Member names and IPs are the control-plane nodes\' (`kubectl get nodes -l node-role.kubernetes.io/control-plane -o wide`); replace the placeholders.'
      : '',
    '',
    'Health first, on any member:',
    '',
    '```sh',
    `${ctl} --endpoints=${endpoints} endpoint health`,
    `${ctl} --endpoints=${endpoints} member list -w table`,
    '```',
    '',
    `### Path 1: one member lost, ${quorum} of ${d.members.length} still healthy (member remove / add)`,
    '',
    d.topology === 'stacked'
      ? 'Prefer letting Cluster API replace the machine (delete the Machine; the KubeadmControlPlane removes the etcd member and joins a new one). By hand:'
      : 'Quorum still holds, no data is lost; replace the member in place:',
    '',
    '```sh',
    `# on a healthy member: find the failed member's ID and remove it`,
    `${ctl} --endpoints=${endpoints} member list`,
    `${ctl} --endpoints=${endpoints} member remove <MEMBER_ID>`,
    `# announce the replacement (same name and IP for a rebuilt VM)`,
    `${ctl} --endpoints=${endpoints} member add <NAME> --peer-urls=https://<IP>:${ETCD_PEER_PORT}`,
    `# on the replacement: empty data directory, join the existing cluster`,
    `${d.stop}`,
    `rm -rf ${d.dataDir}/member`,
    d.topology === 'external' ? `sed -i 's/^initial-cluster-state: .*/initial-cluster-state: existing/' ${d.memberConfig}` : `# kubeadm join --control-plane sets initial-cluster-state=existing itself`,
    `${d.start}`,
    '```',
    '',
    '### Path 2: move a member\'s data to a new machine',
    '',
    'For a healthy member whose machine must go (disk, host retirement): the data moves, the member ID stays.',
    '',
    '```sh',
    `# on the old machine`,
    `${d.stop}`,
    `tar -C ${d.dataDir} -czf /root/etcd-member.tgz member`,
    `# copy /root/etcd-member.tgz to the new machine (same certificates, same IP or update the peer URL), then there:`,
    `install -d -m 0700 ${d.dataDir} && tar -C ${d.dataDir} -xzf /root/etcd-member.tgz`,
    `# only when the IP changes: ${ctl} --endpoints=${endpoints} member update <MEMBER_ID> --peer-urls=https://<NEW_IP>:${ETCD_PEER_PORT}`,
    `${d.start}`,
    '```',
    '',
    `### Path 3: quorum lost for good — restore every member from the last snapshot`,
    '',
    'Everything written after the snapshot is lost. Stop the kube-apiservers first (move their static pod manifests away).',
    '',
    '```sh',
    `# check the snapshot (on one machine)`,
    `etcdutl snapshot status <SNAPSHOT.db> -w table`,
    `# on EVERY member, with its own name and IP: stop, keep the old data aside, restore`,
    `${d.stop}`,
    `mv ${d.dataDir} ${d.dataDir}.before-restore`,
    ...d.members.map(
      (m) =>
        `etcdutl snapshot restore <SNAPSHOT.db> --name ${m.name} --initial-advertise-peer-urls ${peerUrl(m)} --initial-cluster ${initialCluster} --initial-cluster-token ${d.initialClusterToken} --data-dir ${d.dataDir}   # on ${m.name}`,
    ),
    `${d.start}`,
    `${ctl} --endpoints=${endpoints} endpoint health`,
    '```',
    '',
    '(etcd 3.4 has no etcdutl: use `etcdctl snapshot restore` with the same flags.)',
    '',
  ];
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

/** The markdown runbook of the cluster. */
export function renderEtcdRestoreRunbook(cluster: ClusterSpec): string {
  const data = etcdRestoreData(cluster);
  return [
    `# etcd restore runbook: ${cluster.environment}/${cluster.name}`,
    '',
    `Generated by kprod from the cluster spec (Kubernetes ${cluster.kubernetesVersion}, etcd ${cluster.controlPlane.etcd.topology}). Read the whole page before starting; see docs/etcd-restore.md for background.`,
    '',
    ...data.map(section),
  ].join('\n');
}
