/**
 * A trace told as a story: summary, initial state, one numbered line per step with its kernel
 * function, lock, source lines and changes, the violated property stated for this trace, a
 * picture of the last state and the history. Text for a terminal, or `mail`: plain text under
 * 80 columns that pastes into a mailing-list reply.
 */
import type { Explainer } from "../core/explain.js";
import type { Model } from "../core/model.js";

/** How to tell it. */
export interface ExplainOptions {
  readonly format: "text" | "mail";
  readonly glossary: boolean;
  readonly cite: boolean;
  /** The first line: what the trace is (file, variant, bounds). */
  readonly title: string;
  /** What the property means, in one line. */
  readonly meaning: string;
  /** Whether the last state violates the property in today's model. */
  readonly violated: boolean;
}

/** The width text wraps at: 78 for mail (quoting adds two), 100 for a terminal. */
const WIDTH = { text: 100, mail: 78 } as const;

/** The story's lines. */
export function explainTrace<S, A>(
  model: Model<S, A>,
  explainer: Explainer<S, A>,
  states: readonly S[],
  actions: readonly A[],
  property: string,
  o: ExplainOptions,
): string[] {
  const w = WIDTH[o.format];
  const out: string[] = [];
  const para = (text: string, first = "", rest = first): void => void out.push(...wrap(text, w, first, rest));
  para(o.title);
  out.push("");
  for (const line of explainer.summary(states, actions, property)) para(line);
  out.push("");
  out.push("Initially:");
  for (const line of explainer.initial(states[0])) para(line, "  ", "    ");
  out.push("");
  out.push("Steps:");
  const num = String(actions.length).length;
  for (let k = 0; k < actions.length; k++) {
    const story = explainer.step(states[k], actions[k], states[k + 1]);
    const n = `${String(k + 1).padStart(num)}. `;
    const pad = " ".repeat(n.length + 2);
    para(`[${story.lane}] ${story.text}`, `  ${n}`, pad);
    para(`${model.actionLabel(actions[k])}; lock: ${story.lock ?? "none"}`, pad, `${pad}  `);
    if (o.cite) para(`in ${story.cite}`, pad, `${pad}  `);
    const rest = story.changes.filter((c) => !story.text.includes(c));
    if (rest.length > 0) para(`also: ${rest.join("; ")}`, pad, `${pad}  `);
  }
  out.push("");
  para(o.violated ? `Why ${property} fails (${o.meaning}):` : `${property} (${o.meaning}) holds after the last step in today's model.`, "", "  ");
  if (o.violated) for (const line of explainer.verdict(states, actions, property)) para(line, "  ", "    ");
  out.push("");
  out.push("The last state:");
  for (const line of explainer.picture(states[states.length - 1])) para(line, "  ", "      ");
  out.push("");
  out.push("History:");
  for (const line of explainer.history(property)) para(line, "  ", "    ");
  if (o.glossary) {
    out.push("", "Notation:");
    for (const line of explainer.glossary) {
      const [term, ...desc] = line.split(/ {2,}/);
      para(desc.join(" "), `  ${term.padEnd(13)} `, " ".repeat(16));
    }
  }
  return out;
}

/** Breaks `text` at spaces so each line fits `width`, the first line prefixed by `first`, the rest by `rest`. */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const indent = /^ */.exec(text)?.[0] ?? "";
  first += indent;
  rest += indent;
  const words = text.slice(indent.length).split(/ +/);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    const sep = empty ? "" : " ";
    if (!empty && line.length + sep.length + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += sep + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
