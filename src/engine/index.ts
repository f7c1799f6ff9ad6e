/** The exploration engine's public API. */
export { fingerprint } from "./fingerprint.js";
export { VisitedSet, NO_PARENT, MAX_ACTION, VISITED_CAPACITY } from "./visited.js";
export { FingerprintTable } from "./fingerprint-table.js";
export { BfsFrontier, DfsFrontier, type Frontier, type FrontierEntry } from "./frontier.js";
export { search, searchAsync, isAllocationFailure } from "./search.js";
export { searchShared, type SharedOptions } from "./shared-search.js";
export {
  replaySteps,
  replayLabels,
  formatReplayError,
  type ReplayError,
  type ReplayErrorCode,
  type ReplayResult,
} from "./replay.js";
export { shortenPaths, type Shortened, type ShortenedResult } from "./shorten.js";
export { ShardFrontier, shardOf, type ShardSpec } from "./shard-frontier.js";
