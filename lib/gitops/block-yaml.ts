/**
 * Block-style YAML for JSON data, byte-identical to `yaml`'s `stringify` with the options of
 * serialize.ts, at a fraction of its cost: the library builds a node tree for every document,
 * which was half of a synth's CPU time. This file writes only the structure (maps, sequences,
 * indentation, `{}` / `[]`); every scalar that is not trivially plain (quoted, block or numeric
 * text, odd keys) is rendered by the library itself, once per distinct value, and anything that
 * is not plain JSON data falls back to the library for the whole document. The test
 * `test/unit/gitops/block-yaml.test.ts` compares the two on whole fleets and on generated values.
 */
import { stringify } from 'yaml';
import { Remembered } from '../remembered';

/**
 * `.` is a float to a YAML 1.1 reader (the float pattern allows no digits; `kprod check` reads 1.1)
 * but a string to YAML 1.2 and to go-yaml: declared as a non-string pattern here, it is written
 * quoted. The value of Argo CD's manifest-generate-paths annotation. (The whole YAML 1.1 schema
 * would quote the same for kprod's trees and costs about 15 % more serialization time.)
 */
const DOT_IS_NOT_PLAIN = { tag: 'tag:yaml.org,2002:float', default: true, test: /^\.$/, resolve: (s: string) => s };

/** The options kprod writes manifests with (serialize.ts): the emitter's output equals the library's with them. */
export const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0, directives: false, customTags: [DOT_IS_NOT_PLAIN] };

/** Thrown inside the emitter when a value needs the library's own handling (caught at the top). */
class NotPlainData extends Error {}

/**
 * Strings the library always writes as they are: a letter, `_` or `/` first, then no space,
 * quote, comment, flow or anchor character, no trailing `:`. Words of the core schema that mean
 * something else (`true`, `null`, ...) are excluded below; digits first (numbers) go to the library.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./=+@,:-]*$/;
const CORE_WORDS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL']);
const isPlain = (s: string) => PLAIN.test(s) && !s.endsWith(':') && !CORE_WORDS.has(s);

/** The library's renderings of a scalar, remembered (a fleet has many one-off names, hence the bound). */
function remembering(render: (s: string) => string): { get(s: string): string } {
  const memo = new Remembered<string>(50_000);
  return { get: (s) => memo.get(s, render) };
}

/** What follows `prefix` in the library's document for `doc`, without the final newline. */
function after(prefix: string, doc: unknown): string {
  const text = stringify(doc, YAML_OPTIONS);
  if (!text.startsWith(prefix) || !text.endsWith('\n')) throw new NotPlainData();
  return text.slice(prefix.length, -1);
}

// A scalar's rendering after `key: ` and after `- `; block scalars keep their continuation lines,
// indented relative to the key or dash (the emitter adds the absolute indentation).
const mapValues = remembering((s) => after('a: ', { a: s }));
const seqItems = remembering((s) => after('- ', [s]));
/** A key's rendering before `: `: at column 0 (`---` and `...` would be document markers there) or nested. */
function keyRendering(prefix: string, wrap: (doc: Record<string, number>) => unknown) {
  return remembering((k) => {
    const text = stringify(wrap({ [k]: 0 }), YAML_OPTIONS);
    // Keys the library writes explicitly (`? ...`) or over several lines take the library's path.
    if (!text.startsWith(prefix) || !text.endsWith(': 0\n') || text.indexOf('\n', prefix.length) !== text.length - 1 || text.startsWith('? ', prefix.length)) throw new NotPlainData();
    return text.slice(prefix.length, -4);
  });
}
const topKeys = keyRendering('', (d) => d);
const nestedKeys = keyRendering('a:\n  ', (d) => ({ a: d }));

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Continuation lines of a multi-line rendering, each non-empty one indented by `indent` more. */
function reindent(text: string, indent: string): string {
  return indent ? text.replace(/\n(?=[^\n])/g, `\n${indent}`) : text;
}

const MAX_DEPTH = 100;

class Emitter {
  private out = '';

  /** A scalar's text in the given context, or undefined for a collection. */
  private scalar(value: unknown, inSeq: boolean): string | undefined {
    switch (typeof value) {
      case 'string':
        return isPlain(value) ? value : (inSeq ? seqItems : mapValues).get(value);
      case 'number':
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : after(inSeq ? '- ' : 'a: ', inSeq ? [value] : { a: value });
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        return value === null ? 'null' : undefined;
      case 'undefined':
        // Only sequences reach here (maps drop undefined values): the library writes null.
        return 'null';
      default:
        throw new NotPlainData();
    }
  }

  private emptyOf(value: object): string | undefined {
    if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
    if (!isPlainObject(value)) throw new NotPlainData();
    for (const k in value) if (value[k] !== undefined) return undefined;
    return '{}';
  }

  /** A map's pairs, each line at `indent` (the first one's indentation already written when `inline`). */
  map(obj: Record<string, unknown>, indent: string, inline: boolean, depth: number): void {
    if (depth > MAX_DEPTH) throw new NotPlainData();
    let first = true;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (v === undefined) continue;
      if (!(first && inline)) this.out += indent;
      first = false;
      this.out += isPlain(k) ? k : (depth === 0 ? topKeys : nestedKeys).get(k);
      this.value(v, indent, false, depth);
    }
  }

  private seq(arr: readonly unknown[], indent: string, inline: boolean, depth: number): void {
    if (depth > MAX_DEPTH) throw new NotPlainData();
    arr.forEach((v, i) => {
      this.out += i === 0 && inline ? '-' : `${indent}-`;
      this.value(v, indent, true, depth);
    });
  }

  /** After a key (`inSeq` false) or a dash: the value, through its last line's newline. */
  private value(v: unknown, indent: string, inSeq: boolean, depth: number): void {
    const text = this.scalar(v, inSeq);
    if (text !== undefined) {
      this.out += (inSeq ? ' ' : ': ') + reindent(text, indent) + '\n';
      return;
    }
    const o = v as object;
    const empty = this.emptyOf(o);
    if (empty !== undefined) {
      this.out += (inSeq ? ' ' : ': ') + empty + '\n';
      return;
    }
    const child = `${indent}  `;
    if (inSeq) {
      // `- key: ...` and `- - item`: the collection starts on the dash's line.
      this.out += ' ';
      if (Array.isArray(o)) this.seq(o, child, true, depth + 1);
      else this.map(o as Record<string, unknown>, child, true, depth + 1);
      return;
    }
    this.out += ':\n';
    if (Array.isArray(o)) this.seq(o, child, false, depth + 1);
    else this.map(o as Record<string, unknown>, child, false, depth + 1);
  }

  document(obj: Record<string, unknown>): string {
    if (this.emptyOf(obj) !== undefined) return '{}\n';
    this.map(obj, '', false, 0);
    return this.out;
  }
}

/** `stringify(obj, YAML_OPTIONS)` for a top-level map, by the emitter when the data allows. */
export function blockYaml(obj: Record<string, unknown>): string {
  try {
    return new Emitter().document(obj);
  } catch (e) {
    if (e instanceof NotPlainData) return stringify(obj, YAML_OPTIONS);
    throw e;
  }
}
