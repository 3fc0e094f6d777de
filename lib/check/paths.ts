/** One step of a path into an object: a field name, a list index, or `{Kind}` marking an embedded document. */
export type Segment = string | number;

/** `spec.files[0].content{KubeletConfiguration}.evictionHard`, or `(root)` for the empty path. */
export function formatPath(segs: readonly Segment[]): string {
  let out = '';
  for (const seg of segs) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (seg.startsWith('{')) out += seg;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(root)';
}

/** The segments of a JSON pointer (`/spec/files/0` → `spec`, `files`, 0). */
export function pointerSegments(pointer: string): Segment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}
