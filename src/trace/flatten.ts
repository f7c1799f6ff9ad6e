/** Plain JSON views as flat `path -> leaf` maps: what diffs print and comparisons name. */

/** A leaf of a flattened view: a scalar or a list (lists are compared and printed whole). */
export type Leaf = unknown;

/** The leaves of `value`, keyed by dotted paths ("a.b.c"); records are walked, everything else is a leaf. */
export function flatten(value: unknown, prefix = "", out: Map<string, Leaf> = new Map()): Map<string, Leaf> {
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === "" ? k : `${prefix}.${k}`, out);
  } else if (prefix !== "") {
    out.set(prefix, value);
  }
  return out;
}

/** One changed leaf between two views; `undefined` marks a leaf that is absent on that side. */
export interface Change {
  readonly path: string;
  readonly before: Leaf;
  readonly after: Leaf;
}

/** The leaves that differ between two views, in the order they appear (old leaves first, then new ones). */
export function diffViews(before: unknown, after: unknown): Change[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: Change[] = [];
  for (const [path, old] of a) if (!deepEqual(old, b.get(path))) changes.push({ path, before: old, after: b.get(path) });
  for (const [path, now] of b) if (!a.has(path)) changes.push({ path, before: undefined, after: now });
  return changes;
}

/** Structural equality of JSON-like values (records, arrays, scalars, bigints). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A leaf as short text: strings bare, lists as `[a, b]`, absent as `(none)`. */
export function formatLeaf(value: Leaf): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatLeaf).join(", ")}]`;
  if (isRecord(value)) return `{${Object.entries(value).map(([k, v]) => `${k}: ${formatLeaf(v)}`).join(", ")}}`;
  return String(value);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
