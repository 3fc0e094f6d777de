/** The labels of an in-cluster component kprod ships: its name and `part-of: kprod`. */
export function componentLabels(name: string): { 'app.kubernetes.io/name': string; 'app.kubernetes.io/part-of': 'kprod' } {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'kprod' };
}
