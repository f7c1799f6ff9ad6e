/**
 * The trail: per state id, in discovery order, the parent id, the action index and the
 * fingerprint. Only counterexample paths (and a shard's roots) read it, so it is kept apart
 * from the visited set's table: the newest records stay in memory, older ones are spilled to
 * a temporary file that is unlinked as soon as it is opened (nothing is left behind, even by
 * a crash) and read back one record at a time.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Bytes per record: parent, action, fingerprint high half, low half (four uint32). */
export const TRAIL_RECORD_BYTES = 16;
const CHUNK_BITS = 16;
/** Records per chunk (1 MiB). */
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
/** Chunks kept in memory before the oldest is spilled (16 MiB). */
export const TRAIL_MEMORY_CHUNKS = 16;

/** Closes the file of a trail that was dropped without `close`. */
const files = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** Parent links, action indices and fingerprints by id: in memory, then on disk. */
export class Trail {
  /** In-memory chunks of the records from `spilled` on. */
  private readonly chunks: Uint32Array[] = [];
  /** Records written to the file (a whole number of chunks). */
  private spilled = 0;
  private count = 0;
  private fd = -1;
  private readonly one = new Uint32Array(4);
  private readonly oneBytes = new Uint8Array(this.one.buffer);

  /** A trail that spills once more than `memoryChunks` chunks of 65,536 records are in memory. */
  constructor(private readonly memoryChunks: number = TRAIL_MEMORY_CHUNKS) {}

  /** Records written. */
  get size(): number {
    return this.count;
  }

  /** Appends the record of the next id. */
  push(parent: number, action: number, hi: number, lo: number): void {
    const id = this.count;
    const off = (id - this.spilled) & CHUNK_MASK;
    if (off === 0) this.addChunk();
    const chunk = this.chunks[this.chunks.length - 1];
    const w = off << 2;
    chunk[w] = parent;
    chunk[w + 1] = action;
    chunk[w + 2] = hi;
    chunk[w + 3] = lo;
    this.count = id + 1;
  }

  /** Appends `count` records of the next ids, four words each (parent, action, high half, low half) in `words`. */
  pushAll(words: Int32Array, count: number): void {
    let done = 0;
    while (done < count) {
      const off = (this.count - this.spilled) & CHUNK_MASK;
      if (off === 0) this.addChunk();
      const n = Math.min(count - done, CHUNK - off);
      const chunk = this.chunks[this.chunks.length - 1];
      chunk.set(new Uint32Array(words.buffer, words.byteOffset + done * TRAIL_RECORD_BYTES, n * 4), off << 2);
      this.count += n;
      done += n;
    }
  }

  /** Field `field` (0 parent, 1 action, 2 high half, 3 low half) of record `id`. */
  read(id: number, field: number): number {
    if (id >= this.spilled) {
      const rel = id - this.spilled;
      return this.chunks[rel >>> CHUNK_BITS][((rel & CHUNK_MASK) << 2) + field];
    }
    const got = readSync(this.fd, this.oneBytes, 0, TRAIL_RECORD_BYTES, id * TRAIL_RECORD_BYTES);
    if (got !== TRAIL_RECORD_BYTES) throw new Error(`trail: short read of record ${id} (${got} bytes)`);
    return this.one[field];
  }

  /** Bytes of the in-memory chunks. */
  memoryBytes(): number {
    return this.chunks.length * CHUNK * TRAIL_RECORD_BYTES;
  }

  /** Bytes written to the temporary file. */
  diskBytes(): number {
    return this.spilled * TRAIL_RECORD_BYTES;
  }

  /** Most bytes the next push may allocate (one chunk). */
  reserveBytes(): number {
    return CHUNK * TRAIL_RECORD_BYTES;
  }

  /** Closes the temporary file, if one was opened; the trail cannot be read afterwards. */
  close(): void {
    if (this.fd < 0) return;
    files.unregister(this);
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Starts a chunk, first spilling the oldest full one when memory holds its share. */
  private addChunk(): void {
    if (this.chunks.length >= this.memoryChunks) this.spillOldest();
    this.chunks.push(new Uint32Array(CHUNK * 4));
  }

  private spillOldest(): void {
    if (this.fd < 0) this.openFile();
    const chunk = this.chunks.shift() as Uint32Array;
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.spilled * TRAIL_RECORD_BYTES + done);
    this.spilled += CHUNK;
  }

  /** A file only this process can reach: created exclusively, then unlinked while open. */
  private openFile(): void {
    const path = join(tmpdir(), `daxmc-trail-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
    this.fd = openSync(path, "wx+", 0o600);
    files.register(this, this.fd, this);
    unlinkSync(path);
  }
}
