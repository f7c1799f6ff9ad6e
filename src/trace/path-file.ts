/**
 * Hand-written action paths: a text file a person can type, naming the variant, bounds and
 * property in `key: value` header lines, then one action label per line as `replay` prints
 * them. `#` starts a comment. What `shrink`, `explain` and `report` take besides ITF traces.
 *
 *     variant: v6.12
 *     bounds: small
 *     invariant: poison_reaches_every_mapping
 *     fault(X,A[0])
 *     consume(X,A[0])
 */
import * as Either from "effect/Either";
import { oneLine } from "./reason.js";

/** A parsed path file. */
export interface PathFile {
  readonly variant: string;
  readonly bounds: string | undefined;
  readonly invariant: string;
  readonly actions: readonly string[];
}

const HEADER = /^(variant|bounds|invariant)\s*:\s*(.*)$/;

/** Parses a path file; Left is a one-line reason naming the line. */
export function parsePathFile(text: string): Either.Either<PathFile, string> {
  const header: Record<string, string> = {};
  const actions: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*$/, "").trim();
    if (line === "") continue;
    const h = HEADER.exec(line);
    if (h !== null) {
      if (actions.length > 0) return Either.left(`line ${i + 1}: the header line '${oneLine(line, 60)}' comes after the first action`);
      if (header[h[1]] !== undefined) return Either.left(`line ${i + 1}: '${h[1]}' is given twice`);
      header[h[1]] = h[2].trim();
      continue;
    }
    if (!/^[a-z_]+(\(.*\))?$/.test(line)) return Either.left(`line ${i + 1}: '${oneLine(line, 60)}' is neither 'key: value' nor an action label like fault(X,A[0])`);
    actions.push(line);
  }
  if (header.variant === undefined) return Either.left("no 'variant: ID' line");
  if (header.invariant === undefined) return Either.left("no 'invariant: NAME' line");
  return Either.right({ variant: header.variant, bounds: header.bounds, invariant: header.invariant, actions });
}
