#!/usr/bin/env node
import { runCli } from "./run.js";

// The process's streams, environment and SIGINT; everything else is in runCli, which tests call in-process.
const controller = new AbortController();
process.once("SIGINT", () => controller.abort());

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
  signal: controller.signal,
});
// Exit explicitly (an interrupted run may leave a provider's timers or sockets open), once stdout has drained.
process.stdout.write("", () => process.exit(code));
