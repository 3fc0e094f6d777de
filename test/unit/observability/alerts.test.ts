import { etcdAlerts, machineHealthCheckAlerts, toRuleGroup } from '../../../lib/observability/alerts';

describe('alert data', () => {
  it('builds runbook URLs without doubled slashes', () => {
    const g = toRuleGroup('x', etcdAlerts(2 ** 30), 'https://rb.example.com/kprod/');
    expect(g.rules.map((r) => r.annotations.runbook_url)).toContain('https://rb.example.com/kprod/EtcdNoLeader');
  });

  it('scales the etcd quota thresholds with the quota', () => {
    const byName = Object.fromEntries(etcdAlerts(10_000).map((a) => [a.alert, a.expr]));
    expect(byName.EtcdDatabaseNearQuota).toMatch(/> 8000$/);
    expect(byName.EtcdDatabaseQuotaCritical).toMatch(/> 9500$/);
  });

  it('restricts the MachineHealthCheck alert to one Cluster API namespace when asked', () => {
    const [scoped] = machineHealthCheckAlerts('prod-eu-west-1');
    expect(scoped.expr.match(/\{namespace="prod-eu-west-1"\}/g)).toHaveLength(3);
    expect(machineHealthCheckAlerts()[0].expr).not.toContain('namespace="');
  });
});
