/** `--strategy bfs|dfs`: the order a check explores in (breadth-first by default, for shortest counterexamples). */
import * as Either from "effect/Either";
import { BfsFrontier, DfsFrontier, type Frontier } from "../engine/index.js";
import { type Parsed, quote, stringOption } from "./args.js";
import { type CliError, cliError } from "./errors.js";

/** The exploration orders `check` offers. */
export const STRATEGIES = ["bfs", "dfs"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** --strategy's value: bfs when absent; anything else than bfs or dfs is bad input. */
export function strategyOf(parsed: Parsed): Either.Either<Strategy, CliError> {
  const raw = stringOption(parsed, "strategy") ?? "bfs";
  return (STRATEGIES as readonly string[]).includes(raw)
    ? Either.right(raw as Strategy)
    : Either.left(cliError("bad-option", `unknown --strategy ${quote(raw)}`, "use --strategy bfs (breadth-first, the default) or --strategy dfs (depth-first)"));
}

/** An empty frontier exploring in this order. */
export function frontierFor(strategy: Strategy): Frontier {
  return strategy === "dfs" ? new DfsFrontier() : new BfsFrontier();
}
