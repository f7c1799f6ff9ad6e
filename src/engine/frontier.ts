/**
 * Frontiers: the states waiting to be expanded, stored encoded.
 *
 * The search loop only sees the `Frontier` interface, so other orders (depth-first here, random)
 * can be added without touching it.
 */

/** The state a frontier handed out last: read it before the next pop. */
export interface FrontierEntry {
  /** Visited-set id of the state. */
  id: number;
  /** Number of steps from an initial state. */
  depth: number;
  /** The state's encoding; a view valid until the next pop. */
  bytes: Uint8Array;
}

/** A queue of encoded states with their ids and depths. */
export interface Frontier {
  /** Number of states waiting. */
  readonly size: number;
  /** Queues a copy of `bytes` (the encoding of state `id`, `depth` steps from an initial state). */
  push(bytes: Uint8Array, id: number, depth: number): void;
  /** Moves the next state into `into`; returns false (leaving `into` alone) when empty. */
  pop(into: FrontierEntry): boolean;
  /** Bytes of memory held now. */
  bytes(): number;
}

/** Header words before each entry's bytes: length, id, depth. */
const HEADER_WORDS = 3;
const HEADER_BYTES = HEADER_WORDS * 4;
/** Default size of one pool chunk. */
const DEFAULT_CHUNK_BYTES = 1 << 20;
/** Size of a breadth-first frontier's first chunk (about 70 states of 50 bytes). */
const FIRST_CHUNK_BYTES = 4096;

interface Chunk {
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  /** Bytes written so far. */
  end: number;
}

/**
 * What both frontiers share: the count, the copy of the entry popped last, and the chunks of their byte pool, one of which is kept
 * spare when released so that a queue or stack hovering at a chunk boundary does not allocate.
 */
abstract class ChunkedPool {
  protected count = 0;
  protected spare: Chunk | undefined;
  /** Where the last popped entry's bytes were copied (its length exactly), and its words: valid until the next pop, whatever is pushed meanwhile. */
  private popped = new Uint8Array(0);
  private poppedWords = new Uint32Array(0);
  protected readonly chunkBytes: number;

  /** A frontier whose pool grows in chunks of `chunkBytes` bytes (a multiple of 4). */
  constructor(chunkBytes: number = DEFAULT_CHUNK_BYTES) {
    if (!(Number.isInteger(chunkBytes) && chunkBytes >= 64 && chunkBytes % 4 === 0)) {
      throw new RangeError(`frontier: chunk size ${chunkBytes} must be a multiple of 4, at least 64`);
    }
    this.chunkBytes = chunkBytes;
  }

  /** Number of states waiting. */
  get size(): number {
    return this.count;
  }

  /** An empty chunk of at least `need` and `size` bytes: the spare if it is large enough, else a new one. */
  protected takeChunk(need: number, size: number = this.chunkBytes): Chunk {
    const spare = this.spare;
    const bytes = Math.max(size, need);
    if (spare !== undefined && spare.u8.length >= bytes) {
      this.spare = undefined;
      spare.end = 0;
      return spare;
    }
    const buffer = new ArrayBuffer(bytes);
    return { u8: new Uint8Array(buffer), u32: new Uint32Array(buffer), end: 0 };
  }

  /** Keeps a chunk no longer used as the spare, if it is no larger than the usual size and larger than the spare (or there is none). */
  protected release(chunk: Chunk): void {
    const size = chunk.u8.length;
    if (size <= this.chunkBytes && (this.spare === undefined || this.spare.u8.length < size)) this.spare = chunk;
  }

  /** Bytes held outside the chunks in use: the spare and the copy of the last popped entry. */
  protected bytesApart(): number {
    return this.poppedWords.byteLength + (this.spare === undefined ? 0 : this.spare.u8.byteLength);
  }

  /** The `len` bytes of an entry from word `from` of `u32`, copied word by word into `popped` (made anew when the length changes): a view of the chunk made per pop cost about twice the copy. */
  protected copyOut(u32: Uint32Array, from: number, len: number): Uint8Array {
    let words = this.poppedWords;
    if (this.popped.length !== len) {
      const buffer = new ArrayBuffer(padded(len));
      this.popped = new Uint8Array(buffer, 0, len);
      this.poppedWords = words = new Uint32Array(buffer);
    }
    for (let i = 0; i < words.length; i++) words[i] = u32[from + i];
    return this.popped;
  }
}

/**
 * A first-in first-out frontier (breadth-first order) over a chunked byte pool.
 *
 * Each entry is a 12-byte header (length, id, depth) followed by the encoding padded to 4
 * bytes, appended to the tail chunk. Chunks the head has passed are dropped (one is kept
 * spare for reuse), so memory is about the queued encodings' size.
 */
export class BfsFrontier extends ChunkedPool implements Frontier {
  private readonly chunks: (Chunk | undefined)[] = [];
  /** Index in `chunks` of the chunk the head reads. */
  private headChunk = 0;
  /** Byte offset of the next entry in the head chunk. */
  private headOff = 0;
  /**
   * Size of the next chunk: FIRST_CHUNK_BYTES, doubling up to the usual size, so that the paths
   * that start and drop chunks run within the first few hundred states, before V8 optimizes the
   * search loop: met first after a megabyte of states, they made it drop its optimized code.
   */
  private nextChunkBytes: number;

  /** Queues a copy of `bytes` with its id and depth. */
  push(bytes: Uint8Array, id: number, depth: number): void {
    const len = bytes.length;
    const need = HEADER_BYTES + padded(len);
    let tail = this.chunks.length > this.headChunk ? this.chunks[this.chunks.length - 1] : undefined;
    if (tail === undefined || tail.end + need > tail.u8.length) tail = this.newChunk(need);
    const at = tail.end;
    writeHeader(tail.u32, at >>> 2, len, id, depth);
    copyBytes(tail.u8, at + HEADER_BYTES, bytes);
    tail.end = at + need;
    this.count++;
  }

  /** Moves the oldest state into `into`; returns false when empty. */
  pop(into: FrontierEntry): boolean {
    if (this.count === 0) return false;
    let head = this.chunks[this.headChunk] as Chunk;
    if (this.headOff >= head.end) {
      // The head chunk is used up, and the entry is in a later one: release this one.
      this.release(head);
      this.chunks[this.headChunk] = undefined;
      this.headChunk++;
      this.headOff = 0;
      if (this.headChunk >= 1024 && this.headChunk * 2 >= this.chunks.length) {
        this.chunks.splice(0, this.headChunk);
        this.headChunk = 0;
      }
      head = this.chunks[this.headChunk] as Chunk;
    }
    const at = this.headOff;
    const w = at >>> 2;
    const len = head.u32[w];
    into.id = head.u32[w + 1];
    into.depth = head.u32[w + 2];
    into.bytes = this.copyOut(head.u32, w + HEADER_WORDS, len);
    this.headOff = at + HEADER_BYTES + padded(len);
    this.count--;
    return true;
  }

  /** Bytes of the pool chunks held now, including the spare and the copy of the last popped entry. */
  bytes(): number {
    let total = this.bytesApart();
    for (let c = this.headChunk; c < this.chunks.length; c++) total += (this.chunks[c] as Chunk).u8.byteLength;
    return total;
  }

  /** A breadth-first frontier whose pool grows in chunks of `chunkBytes` bytes (a multiple of 4), the first ones smaller. */
  constructor(chunkBytes?: number) {
    super(chunkBytes);
    this.nextChunkBytes = Math.min(FIRST_CHUNK_BYTES, this.chunkBytes);
  }

  private newChunk(need: number): Chunk {
    const chunk = this.takeChunk(need, this.nextChunkBytes);
    this.nextChunkBytes = Math.min(this.chunkBytes, this.nextChunkBytes * 2);
    if (this.chunks.length === this.headChunk) this.headOff = 0;
    this.chunks.push(chunk);
    return chunk;
  }
}

/**
 * A last-in first-out frontier (depth-first order) over a chunked byte pool: a stack.
 *
 * Each entry is the encoding padded to 4 bytes followed by a 12-byte trailer (length, id,
 * depth), so the top entry is found from the end. A chunk emptied by pops is dropped (one is
 * kept spare), so memory follows the states waiting, about one path's worth of siblings. A pop
 * copies the entry out, because the pushes that follow it reuse its place.
 */
export class DfsFrontier extends ChunkedPool implements Frontier {
  private readonly chunks: Chunk[] = [];

  /** Pushes a copy of `bytes` with its id and depth on top. */
  push(bytes: Uint8Array, id: number, depth: number): void {
    const len = bytes.length;
    const need = padded(len) + HEADER_BYTES;
    let top = this.chunks[this.chunks.length - 1] as Chunk | undefined;
    if (top === undefined || top.end + need > top.u8.length) top = this.newChunk(need);
    const at = top.end;
    copyBytes(top.u8, at, bytes);
    writeHeader(top.u32, (at + need - HEADER_BYTES) >>> 2, len, id, depth);
    top.end = at + need;
    this.count++;
  }

  /** Moves the newest state into `into`; returns false when empty. */
  pop(into: FrontierEntry): boolean {
    if (this.count === 0) return false;
    const top = this.chunks[this.chunks.length - 1];
    const w = (top.end - HEADER_BYTES) >>> 2;
    const len = top.u32[w];
    into.id = top.u32[w + 1];
    into.depth = top.u32[w + 2];
    const at = top.end - HEADER_BYTES - padded(len);
    into.bytes = this.copyOut(top.u32, at >>> 2, len);
    top.end = at;
    if (at === 0) this.release(this.chunks.pop() as Chunk);
    this.count--;
    return true;
  }

  /** Bytes of the pool chunks held now, including the spare and the copy of the last popped entry. */
  bytes(): number {
    let total = this.bytesApart();
    for (const chunk of this.chunks) total += chunk.u8.byteLength;
    return total;
  }

  private newChunk(need: number): Chunk {
    const chunk = this.takeChunk(need);
    this.chunks.push(chunk);
    return chunk;
  }
}

/** `len` rounded up to a whole number of 4-byte words, so headers stay word-aligned. */
function padded(len: number): number {
  return (len + 3) & ~3;
}

/** Writes an entry's three header words (length, id, depth) from word `w`. */
function writeHeader(u32: Uint32Array, w: number, len: number, id: number, depth: number): void {
  u32[w] = len;
  u32[w + 1] = id;
  u32[w + 2] = depth;
}

/** Copies `bytes` into `u8` at `base`: `set`, a memmove (a loop over a 50-byte state took four times as long on Node 20). */
function copyBytes(u8: Uint8Array, base: number, bytes: Uint8Array): void {
  u8.set(bytes, base);
}
