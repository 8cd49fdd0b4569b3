import { Worker } from "node:worker_threads";

import { WORKER_SOURCE } from "./workerSource.js";

/**
 * The worker threads that run programs, kept between runs. Starting a worker (a new V8 isolate) costs tens of
 * milliseconds of CPU, far more than a typical program run, and an agent runs a program for every seat it wins; so a
 * worker that finished a run cleanly waits, unreferenced (it keeps no process alive), for the next one. A worker that
 * timed out, crashed or ran out of heap is terminated and never reused. Isolation between runs does not depend on
 * the thread: each run compiles the module and instantiates it with a fresh memory (workerSource.ts).
 */

/** The worker's own JavaScript heap: it holds only the input and output copies, the program's memory lives outside. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };

/** Idle workers kept at most; more finish their run and exit. */
const MAX_IDLE = 4;

const idle: Worker[] = [];

function spawn(): Worker {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    resourceLimits: WORKER_LIMITS,
    // A clean thread: no loader hooks or flags from the parent (tsx, say), no environment.
    execArgv: [],
    env: {},
    stdout: true,
    stderr: true,
  });
  // While it waits in the pool nobody else listens: a worker that dies idle leaves the pool, and its error is not
  // an unhandled one (the next run simply starts another worker).
  const forget = () => {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  };
  worker.on("error", forget);
  worker.on("exit", forget);
  return worker;
}

/** A worker for one run: an idle one if there is one, else a new one. Referenced until given back or ended. */
export function takeWorker(): Worker {
  const worker = idle.pop() ?? spawn();
  worker.ref();
  return worker;
}

/** Gives back a worker whose run ended cleanly (its answer came), or terminates it when the pool is full. */
export function releaseWorker(worker: Worker): void {
  if (idle.length < MAX_IDLE) {
    worker.unref();
    idle.push(worker);
  } else {
    void worker.terminate();
  }
}

/** Ends a worker that may be in any state (timed out, mid-run): it is not reused. */
export function discardWorker(worker: Worker): void {
  void worker.terminate();
}

/** How many workers wait in the pool (for tests). */
export function idleWorkers(): number {
  return idle.length;
}
