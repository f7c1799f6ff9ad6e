import { savedCounterexample } from "../saved-trace.js";
import { describe, expect, it } from "vitest";
import { buildExplainer } from "../../spec/explain/index.js";
import type { Graph } from "../../src/core/explain.js";

/** Ids are DOT-safe words, unique; edges join nodes that exist; nodes sit in clusters that exist. */
function wellFormed(g: Graph): void {
  const ids = g.nodes.map((n) => n.id);
  for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_]+$/);
  expect(new Set(ids).size).toBe(ids.length);
  const clusters = new Set(g.clusters.map((c) => c.id));
  for (const n of g.nodes) if (n.cluster !== undefined) expect(clusters.has(n.cluster)).toBe(true);
  for (const e of g.edges) {
    expect(ids).toContain(e.from);
    expect(ids).toContain(e.to);
  }
}

describe("stateGraph", () => {
  it("draws files, pages and processes with stable ids, and marks the unsignalled PTE of poison_reaches_every_mapping", () => {
    const { states, explainer } = replayed("v6.12", "poison_reaches_every_mapping");
    const first = explainer.graph(states[0]);
    const last = explainer.graph(states[states.length - 1], "poison_reaches_every_mapping");
    wellFormed(first);
    wellFormed(last);
    expect(first.clusters.map((c) => c.label)).toEqual(["file A", "file B", "pmem pages", "process X", "process Y"]);
    for (const id of ["file_A", "off_A_0", "page_p1", "page_p2", "proc_X", "proc_Y"]) expect(last.nodes.map((n) => n.id)).toContain(id);
    expect(first.nodes.some((n) => n.highlight === true) || first.edges.some((e) => e.highlight === true)).toBe(false);
    const marked = last.edges.filter((e) => e.highlight === true);
    expect(marked.map((e) => [e.kind, e.from, e.to])).toEqual([["pte", "proc_X", "page_p2"]]);
    expect(last.nodes.find((n) => n.id === "kernel_log")).toMatchObject({ kind: "log", highlight: true });
    expect(last.edges.filter((e) => e.kind === "bmap").map((e) => e.label)).toEqual(["bmap", "bmap"]);
  });

  it("marks the wait edges of no_deadlock, dashed", () => {
    const { states, explainer } = replayed("v6.12", "no_deadlock");
    const g = explainer.graph(states[states.length - 1], "no_deadlock");
    wellFormed(g);
    const waits = g.edges.filter((e) => e.kind === "wait");
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const w of waits) expect(w).toMatchObject({ dashed: true, highlight: true });
  });

  it("marks the free pinned page of no_free_while_pinned", () => {
    const { states, explainer } = replayed("v4.18", "no_free_while_pinned");
    const g = explainer.graph(states[states.length - 1], "no_free_while_pinned");
    wellFormed(g);
    const pages = g.nodes.filter((n) => n.kind === "page" && n.highlight === true);
    expect(pages).toHaveLength(1);
    expect(pages[0].label).toMatch(/pins [1-9]/);
    expect(pages[0].label).toMatch(/free/);
  });

  it("marks the page whose owner disagrees for sole_owner_exact and share_count_exact", () => {
    for (const [variant, invariant] of [["v6.12", "sole_owner_exact"], ["v6.12", "share_count_exact"]] as const) {
      const { states, explainer } = replayed(variant, invariant);
      const g = explainer.graph(states[states.length - 1], invariant);
      wellFormed(g);
      expect(g.nodes.filter((n) => n.kind === "page" && n.highlight === true).length).toBeGreaterThan(0);
    }
  });

  it("marks nothing for a property it does not know", () => {
    const { states, explainer } = replayed("v6.12", "no_deadlock");
    const g = explainer.graph(states[states.length - 1], "toString");
    expect(g.nodes.some((n) => n.highlight === true) || g.edges.some((e) => e.highlight === true)).toBe(false);
  });
});

/** The saved counterexample's states and the explainer of its variant. */
function replayed(variant: string, invariant: string) {
  const t = savedCounterexample(variant, invariant);
  return { states: t.states, explainer: buildExplainer(t.variant, t.bounds) };
}
