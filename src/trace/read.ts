/**
 * Reading a trace file named by a user: the name may point at anything (a FIFO, a device, a
 * directory, a huge file), so reading never blocks, never reads more than a bound and never
 * throws; every failure is a coded, short reason.
 */
import * as fs from "node:fs";
import * as Either from "effect/Either";

/** The largest trace file read (128 MiB): daxmc writes traces of a few KiB; a 40,000-step walk with tagged integers is 68 MB. */
export const MAX_TRACE_BYTES = 128 * 1024 * 1024;

/** Why a trace file could not be read. */
export type ReadErrorCode = "empty-name" | "missing" | "not-regular" | "too-large" | "unreadable";

/** A read failure, as data: `reason` is a short phrase such as "no such file", to follow the file's name. */
export interface ReadError {
  readonly code: ReadErrorCode;
  readonly reason: string;
}

const CHUNK_BYTES = 1024 * 1024;

/** The UTF-8 text of the regular file at `path`, without a leading byte order mark; never blocks on a FIFO, never throws. */
export function readTraceText(path: string): Either.Either<string, ReadError> {
  return Either.map(readRegularFile(path, MAX_TRACE_BYTES), (bytes) => {
    const text = bytes.toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  });
}

/** The bytes of the regular file at `path`, refused beyond `maxBytes`; never blocks on a FIFO, never throws. */
export function readRegularFile(path: string, maxBytes: number): Either.Either<Buffer, ReadError> {
  if (path === "") return Either.left({ code: "empty-name", reason: "the file name is empty" });
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    return Either.left(fromError(e));
  }
  try {
    return readOpen(fd, maxBytes);
  } catch (e) {
    return Either.left(fromError(e));
  } finally {
    closeQuietly(fd);
  }
}

function readOpen(fd: number, maxBytes: number): Either.Either<Buffer, ReadError> {
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) return Either.left({ code: "not-regular", reason: describeKind(stat) });
  const tooLarge: ReadError = { code: "too-large", reason: `it is larger than ${+(maxBytes / (1024 * 1024)).toFixed(1)} MiB` };
  if (stat.size > maxBytes) return Either.left(tooLarge);
  const bytes = readAtMost(fd, maxBytes);
  return bytes === undefined ? Either.left(tooLarge) : Either.right(bytes);
}

/** All bytes up to end of file, or undefined when there are more than `limit` (the file grew while read). */
function readAtMost(fd: number, limit: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit + 1 - total));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > limit) return undefined;
    chunks.push(chunk.subarray(0, n));
  }
}

function describeKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return "it is a directory";
  if (stat.isFIFO()) return "it is a FIFO, not a regular file";
  if (stat.isSocket()) return "it is a socket, not a regular file";
  if (stat.isCharacterDevice()) return "it is a character device, not a regular file";
  if (stat.isBlockDevice()) return "it is a block device, not a regular file";
  return "it is not a regular file";
}

const ERRNO: ReadonlyMap<string, ReadError> = new Map<string, ReadError>([
  ["ENOENT", { code: "missing", reason: "no such file" }],
  ["ENOTDIR", { code: "missing", reason: "a directory on its path is a file" }],
  ["EISDIR", { code: "not-regular", reason: "it is a directory" }],
  ["ENXIO", { code: "not-regular", reason: "it is a socket or a device with nothing behind it, not a regular file" }],
  ["EACCES", { code: "unreadable", reason: "permission denied" }],
  ["EPERM", { code: "unreadable", reason: "permission denied" }],
  ["ELOOP", { code: "unreadable", reason: "too many levels of symbolic links" }],
  ["ENAMETOOLONG", { code: "unreadable", reason: "the file name is too long" }],
  ["ERR_INVALID_ARG_VALUE", { code: "unreadable", reason: "the file name is not valid (it contains a NUL character)" }],
]);

function fromError(e: unknown): ReadError {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== "string") return { code: "unreadable", reason: "an unexpected error" };
  return ERRNO.get(code) ?? { code: "unreadable", reason: code.slice(0, 40) };
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing useful to do: the descriptor is gone either way.
  }
}
