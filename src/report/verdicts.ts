/**
 * What a search says about each invariant (`always` or `deadlockFree` property), with its
 * `sometimes` partner folded in: a pass whose partner was never reached is vacuous.
 */
import { match } from "ts-pattern";
import type { Model, Property } from "../core/model.js";
import type { Path, PropertyVerdict } from "../core/result.js";

/** The verdict on one invariant. */
export type InvariantOutcome =
  /** Held in every state of a complete search, and its partner situation arose. */
  | { readonly kind: "holds"; readonly name: string; readonly description: string }
  /** Failed: `path` is a shortest path to a violating state. */
  | { readonly kind: "violated"; readonly name: string; readonly description: string; readonly path: Path }
  /** Held, but the situation it guards (its partner) never arose, so the pass says little. */
  | {
      readonly kind: "vacuous";
      readonly name: string;
      readonly description: string;
      readonly partner: string;
      readonly partnerDescription: string;
    }
  /** A limit stopped the search before it was decided. */
  | { readonly kind: "undecided"; readonly name: string; readonly description: string };

/** The kinds of invariant outcome, for exhaustive matching. */
export type OutcomeKind = InvariantOutcome["kind"];

/** One outcome per checked invariant, in the order of `verdicts`; `sometimes` verdicts only serve as partners. */
export function classify<S>(properties: readonly Property<S>[], verdicts: readonly PropertyVerdict[]): InvariantOutcome[] {
  const byName = new Map(properties.map((p) => [p.name, p]));
  const verdictOf = new Map(verdicts.map((v) => [v.name, v]));
  const out: InvariantOutcome[] = [];
  for (const verdict of verdicts) {
    const prop = byName.get(verdict.name);
    if (prop === undefined || prop.kind === "sometimes") continue;
    const { name, description } = prop;
    const partner = byName.get(prop.partner);
    out.push(
      match(verdict)
        .with({ kind: "violated" }, (v): InvariantOutcome => ({ kind: "violated", name, description, path: v.path }))
        .with({ kind: "undecided" }, (): InvariantOutcome => ({ kind: "undecided", name, description }))
        .with({ kind: "holds" }, (): InvariantOutcome =>
          verdictOf.get(prop.partner)?.kind === "unreached"
            ? { kind: "vacuous", name, description, partner: prop.partner, partnerDescription: partner?.description ?? prop.partner }
            : { kind: "holds", name, description },
        )
        .with({ kind: "reached" }, { kind: "unreached" }, (v): never => {
          throw new Error(`verdict "${v.kind}" given for the invariant ${name}`);
        })
        .exhaustive(),
    );
  }
  return out;
}

/** The names of the properties to search when checking `name` alone: it and its partner. */
export function withPartner<S>(properties: readonly Property<S>[], name: string): string[] {
  const prop = properties.find((p) => p.name === name);
  if (prop === undefined) return [name];
  return prop.kind === "sometimes" ? [name] : [name, prop.partner];
}

/** Whether `state` violates the named `always` or `deadlockFree` property (undefined for other names). */
export function violatedBy<S, A>(model: Model<S, A>, name: string, state: S): boolean | undefined {
  const prop = model.properties.find((p) => p.name === name);
  if (prop === undefined) return undefined;
  return match(prop)
    .with({ kind: "always" }, (p) => !p.holds(state))
    .with({ kind: "deadlockFree" }, (p) => p.inFlight(state) && !anyEnabled(model, state))
    .with({ kind: "sometimes" }, () => undefined)
    .exhaustive();
}

function anyEnabled<S, A>(model: Model<S, A>, state: S): boolean {
  const candidates: A[] = [];
  model.actions(state, candidates);
  return candidates.some((a) => model.nextState(state, a) !== undefined);
}
