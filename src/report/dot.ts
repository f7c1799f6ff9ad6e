/**
 * A Graph (src/core/explain.ts) as Graphviz DOT: clusters as `subgraph cluster_*`, shapes and
 * colours by kind, what breaks the invariant red and bold, waits dashed. Every id and label is
 * quoted and escaped, since labels carry text derived from trace files.
 */
import type { Graph, GraphEdge, GraphNode } from "../core/explain.js";

/** DOT attributes by node or edge kind; kinds not listed are drawn plain. An edge kind with `reverse: "true"` is laid out from its head to its tail (drawn with the arrow still at its head), so that, say, processes rank below the pages they map. */
export interface DotStyle {
  readonly nodes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly edges: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The kinds the Explainer contract names (file, offset, page, process, operation, log; bmap, entry, mapping, pte, lock, sleep, wait, ...). */
export const DEFAULT_STYLE: DotStyle = {
  nodes: {
    file: { shape: "folder", style: "filled", fillcolor: "#e8f0fe" },
    offset: { shape: "box", style: "rounded,filled", fillcolor: "#f4f8ff" },
    page: { shape: "box3d", style: "filled", fillcolor: "#fff7e0" },
    process: { shape: "box", style: "rounded,filled", fillcolor: "#e9f7ef", penwidth: "1.5" },
    operation: { shape: "hexagon", style: "filled", fillcolor: "#f3e8fd" },
    log: { shape: "note", style: "filled", fillcolor: "#fdecea" },
  },
  edges: {
    bmap: { color: "#7f8c8d", fontcolor: "#7f8c8d" },
    entry: { color: "#1f5fbf", fontcolor: "#1f5fbf" },
    mapping: { color: "#b9770e", fontcolor: "#b9770e", constraint: "false" },
    pte: { color: "#1e8449", fontcolor: "#1e8449", reverse: "true" },
    staging: { color: "#1e8449", fontcolor: "#1e8449", style: "dotted", reverse: "true" },
    poison: { color: "#c0392b", fontcolor: "#c0392b", reverse: "true" },
    truncate: { color: "#6c3483", fontcolor: "#6c3483", constraint: "false" },
    lock: { color: "#6c3483", fontcolor: "#6c3483", constraint: "false" },
    sleep: { color: "#6c3483", fontcolor: "#6c3483", constraint: "false" },
    wait: { color: "#6c3483", fontcolor: "#6c3483", constraint: "false" },
  },
};

const HIGHLIGHT = { color: "red", fontcolor: "red", penwidth: "2.5" } as const;

/** Text as a DOT quoted string: backslashes and quotes escaped, newlines as centred line breaks, other control characters dropped. */
export function dotString(text: string): string {
  const body = text
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n");
  return `"${body}"`;
}

/** `[k="v", ...]`, or nothing when there are no attributes. */
function attrList(attrs: Readonly<Record<string, string>>): string {
  const parts = Object.entries(attrs).map(([k, v]) => `${k}=${dotString(v)}`);
  return parts.length === 0 ? "" : ` [${parts.join(", ")}]`;
}

/** A cluster's DOT name: Graphviz draws a box only for subgraphs whose name starts with "cluster". */
export function clusterName(id: string): string {
  return id.startsWith("cluster") ? id : `cluster_${id}`;
}

function nodeLine(n: GraphNode, style: DotStyle): string {
  const base = style.nodes[n.kind] ?? {};
  const hl = n.highlight === true ? { ...HIGHLIGHT, style: [base.style ?? "", "bold"].filter((x) => x !== "").join(",") } : {};
  return `${dotString(n.id)}${attrList({ ...base, label: n.label, ...hl })};`;
}

function edgeLine(e: GraphEdge, style: DotStyle): string {
  const { reverse, ...base } = style.edges[e.kind] ?? {};
  const lines = [base.style ?? "", e.dashed === true ? "dashed" : "", e.highlight === true ? "bold" : ""].filter((x) => x !== "");
  const attrs = {
    ...base,
    ...(e.label !== undefined ? { label: e.label } : {}),
    ...(lines.length > 0 ? { style: lines.join(",") } : {}),
    ...(e.highlight === true ? HIGHLIGHT : {}),
    ...(reverse === "true" ? { dir: "back" } : {}),
  };
  const [tail, head] = reverse === "true" ? [e.to, e.from] : [e.from, e.to];
  return `${dotString(tail)} -> ${dotString(head)}${attrList(attrs)};`;
}

/** The graph as a DOT digraph; nodes of an unknown cluster are drawn outside any box. */
export function toDot(g: Graph, style: DotStyle = DEFAULT_STYLE): string {
  const known = new Set(g.clusters.map((c) => c.id));
  const out = [
    "digraph ownership {",
    '  graph [fontname="Helvetica", fontsize=11, nodesep=0.3, ranksep=0.6, newrank=true];',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const c of g.clusters) {
    out.push(`  subgraph ${dotString(clusterName(c.id))} {`, `    label=${dotString(c.label)}; style="rounded"; color="#95a5a6";`);
    for (const n of g.nodes) if (n.cluster === c.id) out.push(`    ${nodeLine(n, style)}`);
    out.push("  }");
  }
  for (const n of g.nodes) if (n.cluster === undefined || !known.has(n.cluster)) out.push(`  ${nodeLine(n, style)}`);
  for (const e of g.edges) out.push(`  ${edgeLine(e, style)}`);
  out.push("}");
  return out.join("\n");
}
