/**
 * Shards: one search split into N that need no traffic between them. Every shard explores
 * breadth-first to a prefix depth K and checks what it finds there; of the states at depth
 * exactly K (the roots) it keeps only those whose fingerprint falls in its shard, and exhausts
 * the space below them. The others stay in its visited set, so it never goes through them, but
 * are never popped, so never checked or expanded: the shard that owns them does that.
 *
 * Every state deeper than K has a shortest path through some root, and the root's owner reaches
 * it along that path no later than that path's length, so the shards together check every
 * reachable state, and the shortest counterexample over the shards is a shortest one.
 */
import { BfsFrontier, type Frontier, type FrontierEntry } from "./frontier.js";
import type { VisitedSet } from "./visited.js";

/** Which shard a search is: `index` of `count` (0-based here; the CLI numbers them from 1), at prefix depth `prefixDepth`. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
  readonly prefixDepth: number;
}

/** The shard (0-based, of `count`) that owns a root: its fingerprint's low half modulo `count`. */
export function shardOf(lo: number, count: number): number {
  return (lo >>> 0) % count;
}

/**
 * A breadth-first frontier that drops the roots other shards own. Breadth-first order is built
 * in: only then is a state first pushed at depth K exactly when its shortest path is K steps.
 * It reads a root's fingerprint back from `visited`, where the search stored it before the push.
 */
export class ShardFrontier implements Frontier {
  private readonly inner: BfsFrontier;
  private keptRoots = 0;
  private droppedRoots = 0;

  /** The frontier of shard `shard` of a search storing its states in `visited`. */
  constructor(private readonly visited: VisitedSet, private readonly shard: ShardSpec, chunkBytes?: number) {
    const { index, count, prefixDepth } = shard;
    if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) {
      throw new RangeError(`shard frontier: shard ${index} of ${count} must be an integer in 0..${count - 1}`);
    }
    if (!(Number.isInteger(prefixDepth) && prefixDepth >= 0)) throw new RangeError(`shard frontier: prefix depth ${prefixDepth} must be a whole number`);
    this.inner = new BfsFrontier(chunkBytes);
  }

  /** Number of states waiting (dropped roots never wait). */
  get size(): number {
    return this.inner.size;
  }

  /** Queues the state, unless it is a root another shard owns. */
  push(bytes: Uint8Array, id: number, depth: number): void {
    if (depth === this.shard.prefixDepth) {
      if (shardOf(this.visited.loOf(id), this.shard.count) !== this.shard.index) {
        this.droppedRoots++;
        return;
      }
      this.keptRoots++;
    }
    this.inner.push(bytes, id, depth);
  }

  /** Moves the next state into `into`; returns false when empty. */
  pop(into: FrontierEntry): boolean {
    return this.inner.pop(into);
  }

  /** Bytes held by the queue. */
  bytes(): number {
    return this.inner.bytes();
  }

  /** The roots met so far: `kept` (this shard's, queued) of `total` (every shard's). */
  roots(): { readonly kept: number; readonly total: number } {
    return { kept: this.keptRoots, total: this.keptRoots + this.droppedRoots };
  }
}
