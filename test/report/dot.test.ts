import { describe, expect, it } from "vitest";
import type { Graph } from "../../src/core/explain.js";
import { clusterName, dotString, toDot } from "../../src/report/dot.js";
import { escapeHtml } from "../../src/report/html.js";
import { renderSvg } from "../../src/report/svg.js";

const HOSTILE = 'p1 "quoted" \\N back\\slash\nline two\r\x07</text><script>alert(1)</script>';

const graph: Graph = {
  clusters: [{ id: "cluster_file_A", label: "file A" }, { id: "pages", label: 'pmem "pages"' }],
  nodes: [
    { id: "off_A_0", label: "A[0]", kind: "offset", cluster: "cluster_file_A" },
    { id: "page_p1", label: HOSTILE, kind: "page", cluster: "pages", highlight: true },
    { id: "proc_X", label: "process X", kind: "process" },
    { id: 'weird "id"', label: "loose", kind: "unknown", cluster: "no such cluster" },
  ],
  edges: [
    { from: "off_A_0", to: "page_p1", label: "entry", kind: "entry" },
    { from: "proc_X", to: "page_p1", label: "PTE A[0]", kind: "pte", highlight: true },
    { from: "proc_X", to: "off_A_0", label: "sleeps on", kind: "sleep", dashed: true },
  ],
};

describe("dotString", () => {
  it("quotes, escapes backslashes and quotes, turns newlines into \\n and drops control characters", () => {
    expect(dotString('a"b')).toBe('"a\\"b"');
    expect(dotString("a\\N")).toBe('"a\\\\N"');
    expect(dotString("one\ntwo\r\nthree")).toBe('"one\\ntwo\\nthree"');
    expect(dotString("bell\x07\x00tab\t")).toBe('"belltab"');
  });
});

describe("toDot", () => {
  const dot = toDot(graph);

  it("draws each cluster as a subgraph whose name starts with cluster, with its nodes inside", () => {
    expect(clusterName("pages")).toBe("cluster_pages");
    expect(clusterName("cluster_file_A")).toBe("cluster_file_A");
    expect(dot).toMatch(/subgraph "cluster_file_A" \{\n {4}label="file A";[^\n]*\n {4}"off_A_0"/);
    expect(dot).toContain('subgraph "cluster_pages" {\n    label="pmem \\"pages\\"";');
  });

  it("draws a node of an unknown cluster outside every box, with its id escaped", () => {
    expect(dot).toMatch(/^ {2}"weird \\"id\\"" \[label="loose"\];$/m);
  });

  it("marks highlighted nodes and edges red and bold, and waits dashed", () => {
    const page = dot.split("\n").find((l) => l.includes('"page_p1" ['))!;
    expect(page).toMatch(/color="red"/);
    expect(page).toMatch(/style="filled,bold"/);
    const pte = dot.split("\n").find((l) => l.includes('label="PTE A[0]"'))!;
    expect(pte).toMatch(/color="red"/);
    expect(pte).toMatch(/penwidth="2.5"/);
    expect(pte).toMatch(/style="bold"/);
    const entry = dot.split("\n").find((l) => l.includes('label="entry"'))!;
    expect(entry).not.toMatch(/red/);
    expect(dot.split("\n").find((l) => l.includes('label="sleeps on"'))).toMatch(/style="dashed"/);
  });

  it("lays a reversed kind out from head to tail, keeping the arrow at its head", () => {
    expect(dot).toMatch(/"page_p1" -> "proc_X" \[[^\n]*dir="back"/);
  });

  it("is laid out by Graphviz into an SVG with the hostile label as text, never as markup", async () => {
    const svg = await renderSvg(dot);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;");
    expect(svg.match(/<g id="node\d+" class="node">/g)).toHaveLength(4);
    expect(svg.match(/<g id="edge\d+" class="edge">/g)).toHaveLength(3);
    expect(svg).toContain('stroke="red"');
  });

  it("fails with Graphviz's message on DOT it cannot read", async () => {
    await expect(renderSvg("digraph { a -> }")).rejects.toThrow(/Graphviz could not lay out the picture/);
  });
});

describe("escapeHtml", () => {
  it("escapes every character that could open markup or close an attribute", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe("&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
  });
});
