#!/usr/bin/env node
// Node 22 calls node:sqlite (the agents' store) experimental and says so on stderr in every command, since the
// commands load it with the agents; that notice alone is dropped, every other warning still prints. It must be in
// place before run.js is evaluated, hence the dynamic import below.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const message = typeof warning === "string" ? warning : warning.message;
  if (message.startsWith("SQLite is an experimental feature")) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
const { runCli } = await import("./run.js");

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
