/**
 * One replayed trace turned into what the HTML report shows: the story of each step, its swim
 * lane, and the ownership picture of every state laid out as SVG. Generic over the model: what
 * the pictures and stories say comes from its Explainer.
 */
import type { Explainer, StepStory } from "../core/explain.js";
import type { Model } from "../core/model.js";
import { toDot } from "./dot.js";
import { renderSvg } from "./svg.js";

/** A replayed trace and how to explain it. */
export interface TraceInput<S, A> {
  /** The heading: variant and invariant. */
  readonly title: string;
  /** Name/value facts shown under the heading (variant, invariant, bounds, file). */
  readonly facts: readonly (readonly [string, string])[];
  readonly model: Model<S, A>;
  readonly explainer: Explainer<S, A>;
  /** The initial state, then the state after each action. */
  readonly states: readonly S[];
  readonly actions: readonly A[];
  /** The violated property, highlighted in the last picture. */
  readonly property: string;
}

/** One step as shown. */
export interface StepView {
  /** 1-based. */
  readonly n: number;
  readonly label: string;
  readonly story: StepStory;
  /** The picture of the state after the step. */
  readonly svg: string;
}

/** One trace as shown. */
export interface SectionView {
  readonly title: string;
  readonly facts: readonly (readonly [string, string])[];
  /** The verdict and summary lines the explainer gives. */
  readonly notes: readonly string[];
  readonly initial: { readonly lines: readonly string[]; readonly svg: string };
  readonly steps: readonly StepView[];
  /** Lane names in order of first appearance. */
  readonly lanes: readonly string[];
}

/** Lays out every state's picture and tells every step; the last picture highlights what breaks the property. */
export async function buildSection<S, A>(t: TraceInput<S, A>): Promise<SectionView> {
  const last = t.states.length - 1;
  const picture = (i: number): Promise<string> => renderSvg(toDot(t.explainer.graph(t.states[i], i === last ? t.property : undefined)));
  const steps: StepView[] = [];
  for (let i = 0; i < t.actions.length; i++) {
    const story = t.explainer.step(t.states[i], t.actions[i], t.states[i + 1]);
    steps.push({ n: i + 1, label: t.model.actionLabel(t.actions[i]), story, svg: await picture(i + 1) });
  }
  return {
    title: t.title,
    facts: t.facts,
    notes: [...t.explainer.verdict(t.states, t.actions, t.property), ...t.explainer.summary(t.states, t.actions, t.property)],
    initial: { lines: t.explainer.initial(t.states[0]), svg: await picture(0) },
    steps,
    lanes: [...new Set(steps.map((s) => s.story.lane))],
  };
}
