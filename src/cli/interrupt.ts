/** Ctrl-C and SIGTERM: the first stops the search cleanly (results kept), the second exits at once. */
import type { Out } from "./io.js";

/** The exit code of a process ended by a second interrupt: 128 + SIGINT, as shells expect. */
export const EXIT_INTERRUPTED_TWICE = 130;

/** An abort signal the first SIGINT or SIGTERM fires, and a way to remove the handlers. */
export interface InterruptHandlers {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** Installs the handlers: the first interrupt aborts `signal` and says so on `stderr`; a second exits 130. */
export function installInterruptHandlers(stderr: Out): InterruptHandlers {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      stderr.write(`\ndaxmc: ${name} again: exiting at once; results not yet saved are lost\n`);
      process.exit(EXIT_INTERRUPTED_TWICE);
    }
    stderr.write(`\ndaxmc: ${name}: stopping the search and saving what it found (interrupt again to exit at once)\n`);
    controller.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
