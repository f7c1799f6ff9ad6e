import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Either from "effect/Either";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_TRACE_BYTES, type ReadError, readTraceText } from "../../src/trace/read.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "daxmc-read-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function failure(path: string): ReadError | undefined {
  const r = readTraceText(path);
  return Either.isLeft(r) ? r.left : undefined;
}

describe("readTraceText", () => {
  it("reads a regular file as UTF-8", () => {
    expect(readTraceText(file("t.json", '{"é": "\u{1F600}"}\n'))).toEqual(Either.right('{"é": "\u{1F600}"}\n'));
    expect(readTraceText(file("empty.json", ""))).toEqual(Either.right(""));
  });

  it("strips one leading byte order mark, and only one", () => {
    expect(readTraceText(file("bom.json", "\uFEFF{}"))).toEqual(Either.right("{}"));
    expect(readTraceText(file("bom2.json", "\uFEFF\uFEFF{}"))).toEqual(Either.right("\uFEFF{}"));
    expect(readTraceText(file("inner.json", "{}\uFEFF"))).toEqual(Either.right("{}\uFEFF"));
  });

  it("reads a file whose size the kernel does not report (procfs) to its end", { skip: !existsSync("/proc/self/status") }, () => {
    const r = readTraceText("/proc/self/status");
    expect(Either.isRight(r) && r.right).toMatch(/^Name:/);
  });

  it("refuses an empty name without touching the file system", () => {
    expect(failure("")).toEqual({ code: "empty-name", reason: "the file name is empty" });
  });

  it("says a missing file is missing", () => {
    expect(failure(join(dir, "nope.json"))).toEqual({ code: "missing", reason: "no such file" });
    expect(failure(join(file("plain", "x"), "t.json"))).toEqual({ code: "missing", reason: "a directory on its path is a file" });
  });

  it("refuses a directory", () => {
    mkdirSync(join(dir, "d"));
    expect(failure(join(dir, "d"))).toEqual({ code: "not-regular", reason: "it is a directory" });
  });

  it("refuses a FIFO at once instead of waiting for a writer", { timeout: 5_000 }, () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(failure(fifo)).toEqual({ code: "not-regular", reason: "it is a FIFO, not a regular file" });
  });

  it("refuses a character device such as /dev/zero", { skip: !existsSync("/dev/zero"), timeout: 5_000 }, () => {
    expect(failure("/dev/zero")).toEqual({ code: "not-regular", reason: "it is a character device, not a regular file" });
  });

  it("refuses a socket", async () => {
    const path = join(dir, "sock");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect(failure(path)).toMatchObject({ code: "not-regular" });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses a file larger than MAX_TRACE_BYTES without reading it", { timeout: 5_000 }, () => {
    const path = file("huge.json", "");
    truncateSync(path, MAX_TRACE_BYTES + 1);
    expect(failure(path)).toEqual({ code: "too-large", reason: "it is larger than 128 MiB" });
  });

  it("reads a file of exactly MAX_TRACE_BYTES", { timeout: 20_000 }, () => {
    const path = file("max.json", "");
    truncateSync(path, MAX_TRACE_BYTES);
    const r = readTraceText(path);
    expect(Either.isRight(r) && r.right.length).toBe(MAX_TRACE_BYTES);
  });

  it("says permission denied for a file it may not read", { skip: process.getuid?.() === 0 }, () => {
    const path = file("secret.json", "{}");
    chmodSync(path, 0o000);
    expect(failure(path)).toEqual({ code: "unreadable", reason: "permission denied" });
  });

  it("never throws, whatever the name", () => {
    for (const name of ["\0", "a\0b", "x".repeat(5000), join(dir, "x".repeat(300)), "/", ".", "..", dir + "/"]) {
      const r = readTraceText(name);
      if (Either.isLeft(r)) expect(r.left.reason.length).toBeLessThanOrEqual(100);
    }
    expect(failure("a\0b")).toEqual({ code: "unreadable", reason: "the file name is not valid (it contains a NUL character)" });
    expect(failure("x".repeat(5000))).toEqual({ code: "unreadable", reason: "the file name is too long" });
  });
});
