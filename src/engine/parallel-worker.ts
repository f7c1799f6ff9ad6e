/**
 * A worker thread of a parallel search (run from dist/): builds the model from its recipe, then
 * for each batch of states computes what the sequential loop computes per state before touching
 * the visited set (successors, their fingerprints and encodings, the properties the state
 * decides) and sends it back in one buffer. It stores nothing, so it cannot change the order.
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { modelFromRecipe } from "../core/recipe.js";
import { BatchExpander, type WorkerJob } from "./batch-expander.js";
import { type BatchAnswer, type BatchMessage, type ParallelWorkerData, errorData } from "./parallel-protocol.js";

/**
 * Answers every batch that comes on `port`, in arrival order. A state that throws ends its batch
 * there, with the error; the model failing to build fails every batch at its first state.
 */
function serve(job: WorkerJob, port: MessagePort): void {
  const ready = modelFromRecipe(job.recipe).then((model) => new BatchExpander(model, job));
  port.on("message", (m: BatchMessage) => {
    ready.then(
      (batches) => {
        const { successors, done, error } = batches.expand(m.states, m.spare);
        const answer: BatchAnswer = { seq: m.seq, states: m.states, successors, done, ...(error === undefined ? {} : { error: errorData(error) }) };
        port.postMessage(answer, [m.states, successors]);
      },
      (error: unknown) => {
        const answer: BatchAnswer = { seq: m.seq, states: m.states, successors: new ArrayBuffer(0), done: 0, error: errorData(error) };
        port.postMessage(answer, [m.states]);
      },
    );
  });
}

// Only in a thread started by a parallel search (a test runner's own worker thread may import this module).
const data = workerData as ParallelWorkerData | null | undefined;
if (parentPort !== null && typeof data === "object" && data !== null && data.parallelSearch !== undefined) serve(data.parallelSearch, parentPort);
