/** DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): the layout is Graphviz's, computed in Node, so the report needs no script to draw. */
import type { Viz } from "@viz-js/viz";

let viz: Promise<Viz> | undefined;

/** The one Graphviz instance of this process, loaded on first use (the wasm is inside the module: no file or network access). */
async function graphviz(): Promise<Viz> {
  viz ??= import("@viz-js/viz").then((m) => m.instance());
  return viz;
}

/** The SVG of a DOT graph, without the XML prolog and doctype, ready to inline into HTML; throws with Graphviz's message when it cannot lay it out. */
export async function renderSvg(dot: string): Promise<string> {
  const result = (await graphviz()).render(dot, { format: "svg" });
  if (result.status !== "success") {
    const why = result.errors.map((e) => e.message).join("; ");
    throw new Error(`Graphviz could not lay out the picture: ${why}`);
  }
  return result.output.slice(result.output.indexOf("<svg"));
}
