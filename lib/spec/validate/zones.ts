import { forEachCluster, type Rule } from './rule';

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Failure domains become node labels on bare metal (`topology.kubernetes.io/zone` and the
 * `kprod.io/failure-domain` host selector), so they must be label values; `region` is a Metal3 setting.
 */
export const zoneRules: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const metal = cluster.infrastructure.provider === 'metal3';
    if (metal) {
      cluster.failureDomains.forEach((fd, i) => {
        if (fd.length > 63 || !LABEL_VALUE.test(fd)) issues.error([...path, 'failureDomains', i], 'must be a label value on Metal3 (nodes carry it as topology.kubernetes.io/zone): letters, digits, "-", "_", ".", at most 63', fd);
      });
      cluster.nodePools.forEach((pool, p) =>
        (pool.failureDomains ?? []).forEach((fd, i) => {
          if (fd.length > 63 || !LABEL_VALUE.test(fd)) issues.error([...path, 'nodePools', p, 'failureDomains', i], 'must be a label value on Metal3 (nodes carry it as topology.kubernetes.io/zone)', fd);
        }),
      );
    } else if (cluster.region !== undefined) {
      issues.warn([...path, 'region'], 'is used on Metal3 only; on OpenStack the cloud controller sets topology.kubernetes.io/region from its cloud config', cluster.region);
    }
  });
