/**
 * The worker thread of `matrix --workers N` (run from dist/, see `matrixWorkerFile`): searches
 * one variant exactly as `matrixRows` does in-process and posts the result; the main thread
 * classifies it and writes the counterexamples, so files are written as without workers.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { Reporter, SearchResult } from "../core/result.js";
import { searchAsync } from "../engine/index.js";
import { workerMemoryShort } from "./memory.js";
import type { FromWorker, StopMessage, WorkerData, WorkerJob } from "./worker-protocol.js";
import { buildModel, findVariant } from "./wiring.js";

/** Searches `job`'s variant; a "stop" message on `port` stops it "interrupted", as an interrupt does in-process. */
async function searchJob(job: WorkerJob, port: MessagePort): Promise<SearchResult> {
  const variant = findVariant(job.variant);
  if (variant === undefined) throw new Error(`no variant ${job.variant}`);
  const controller = new AbortController();
  const onMessage = (m: StopMessage): void => {
    if (m.kind === "stop") controller.abort();
  };
  port.on("message", onMessage);
  try {
    const { shareBytes, maxMemoryBytes } = job.memory;
    return await searchAsync(buildModel(variant, job.bounds), {
      ...job.limits,
      reporter: forwardingReporter(port),
      signal: controller.signal,
      memoryShort: workerMemoryShort(shareBytes, maxMemoryBytes),
    });
  } finally {
    // No listener left, so the port no longer keeps the thread alive: it exits once the result is posted.
    port.off("message", onMessage);
  }
}

/** A reporter that posts progress to the main thread, which prints it. */
function forwardingReporter(port: MessagePort): Reporter {
  const post = (m: FromWorker): void => port.postMessage(m);
  return { progress: (stats) => post({ kind: "progress", stats }), done: (stats) => post({ kind: "done", stats }) };
}

/** Runs `job` and posts its result, or the first line of why it failed. */
async function runWorker(job: WorkerJob, port: MessagePort): Promise<void> {
  let reply: FromWorker;
  try {
    reply = { kind: "result", result: await searchJob(job, port) };
  } catch (e) {
    reply = { kind: "failed", message: (e instanceof Error ? e.message : String(e)).split("\n")[0] };
  }
  port.postMessage(reply);
}

// Only in a thread started by `matrix` (a test runner's own worker thread may import this module).
const data = workerData as WorkerData | null | undefined;
if (parentPort !== null && typeof data === "object" && data !== null && data.matrixJob !== undefined) void runWorker(data.matrixJob, parentPort);
