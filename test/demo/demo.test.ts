import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { keccak256 } from "ethers";

import {
  BORDER_EAST,
  BORDER_NORTH,
  BORDER_SOUTH,
  BORDER_WEST,
  decodeInput,
  encodeInput,
  encodeState,
  run,
  type Particle,
  type ParticleState,
} from "../../sdk/src/domain/particles/index.js";
import type { DemoReport, TaskRow } from "../../scripts/demo/report/types.js";
import { launchChromium, type Graphics } from "./browser.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const GRID = { x: 2, y: 2 };
/**
 * Three batches of a 2 x 2 world: twelve tasks, 36 first-committee seats. The adversary (a fifth of the stake) sits
 * on none of them with probability 0.8^36 (3 in 10,000), the one draw this test cannot control.
 */
const EPOCHS = 3;
const WORKERS = 20;

/** `npm run demo` as a child process, as a user runs it; resolves with its exit code and output. */
function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--disable-warning=ExperimentalWarning", path.join(ROOT, "scripts/demo/main.ts"), ...args],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/**
 * The merge of the world between batches, written again here rather than imported from the engine: every emigrant
 * joins the region whose rectangle contains it (put back at the world's edge, velocity turned inward, if it left
 * across a corner next to the edge); the emigrant lists are emptied.
 */
function merge(results: ParticleState[], width: number, height: number): ParticleState[] {
  const next = results.map((s) => ({
    ...s,
    particles: s.particles.map((p) => ({ ...p })),
    emigrants: [] as Particle[],
  }));
  const worldW = GRID.x * width;
  const worldH = GRID.y * height;
  for (const s of results) {
    for (const e of s.emigrants) {
      let { x, y, vx, vy } = e;
      if (x < 0) [x, vx] = [0, Math.abs(vx)];
      if (x >= worldW) [x, vx] = [worldW - 1, -Math.abs(vx)];
      if (y < 0) [y, vy] = [0, Math.abs(vy)];
      if (y >= worldH) [y, vy] = [worldH - 1, -Math.abs(vy)];
      next[Math.floor(y / height) * GRID.x + Math.floor(x / width)]!.particles.push({ x, y, vx: vx + 0, vy: vy + 0 });
    }
  }
  return next;
}

describe("npm run demo: a sharded particle world secured by one pool", function () {
  let out: string;
  let report: DemoReport;
  let result: { code: number | null; output: string };

  before(async function () {
    out = mkdtempSync(path.join(tmpdir(), "cohort-demo-test-"));
    result = await runDemo([
      "--grid",
      `${GRID.x}x${GRID.y}`,
      "--epochs",
      String(EPOCHS),
      "--workers",
      String(WORKERS),
      "--out",
      out,
      "--plain",
    ]);
    try {
      report = JSON.parse(readFileSync(path.join(out, "data.json"), "utf8")) as DemoReport;
    } catch (e) {
      throw new Error(`the demo wrote no run record (exit ${result.code}):\n${result.output}`, { cause: e });
    }
  });

  after(function () {
    rmSync(out, { recursive: true, force: true });
  });

  it("exits 0 with every check passed and the summary printed", function () {
    expect(result.code, result.output).to.equal(0);
    expect(report.checks, result.output).to.deep.equal({
      allFinalCorrect: true,
      adversarySlashed: true,
      accountingExact: true,
      detail: [],
    });
    expect(result.output).to.match(/check: token accounting exact \.+ ok/);
    expect(report.config).to.include({ gridX: GRID.x, gridY: GRID.y, epochs: EPOCHS, workers: WORKERS });
    const t = report.totals;
    // The run's figures in the test log (docs/Demo.md, "Figures"): which draws this run got.
    console.log(
      `      ${t.tasks} tasks, ${t.overturned} overturned, ${t.challenges} challenges, ${t.slashes} slashes, ` +
        `${t.wallClockSeconds.toFixed(0)} s`,
    );
  });

  it("finalizes every task with the state the program's reference computes from its recorded input", function () {
    const { ticksPerTask } = report.config;
    expect(report.tasks).to.have.length(GRID.x * GRID.y * EPOCHS);
    for (const t of report.tasks) {
      const { state, ticks } = decodeInput(Buffer.from(t.input!.slice(2), "hex"));
      expect(ticks).to.equal(ticksPerTask);
      expect(state.tick, `task ${t.taskId}`).to.equal(t.epoch * ticksPerTask);
      expect(state.particles.length).to.equal(t.particlesIn);
      const expected = keccak256(encodeState(run(state, ticks)));
      expect(t.finalResultHash, `task ${t.taskId} final`).to.equal(expected);
      expect(t.trustedResultHash, `task ${t.taskId} trusted`).to.equal(expected);
      expect(t.finalizedBlock).to.be.greaterThan(t.createdBlock);
    }
  });

  it("builds each region's next input from the finalized states of the batch before, emigrants merged", function () {
    const { regionWidth: w, regionHeight: h, ticksPerTask } = report.config;
    const batch = (e: number) =>
      report.tasks.filter((t) => t.epoch === e).sort((a, b) => a.region.y - b.region.y || a.region.x - b.region.x);
    const inputOf = (t: TaskRow) => decodeInput(Buffer.from(t.input!.slice(2), "hex")).state;
    // The first batch: the world's geometry, open borders inside, walls at the edge.
    for (const t of batch(0)) {
      const s = inputOf(t);
      const { x, y } = t.region;
      expect([s.ox, s.oy, s.width, s.height]).to.deep.equal([x * w, y * h, w, h]);
      const open =
        (x > 0 ? BORDER_WEST : 0) |
        (x < GRID.x - 1 ? BORDER_EAST : 0) |
        (y > 0 ? BORDER_SOUTH : 0) |
        (y < GRID.y - 1 ? BORDER_NORTH : 0);
      expect(s.borders, `region ${x},${y}`).to.equal(open);
      expect(s.emigrants).to.deep.equal([]);
    }
    let crossed = 0;
    for (let e = 1; e < EPOCHS; e++) {
      const before = batch(e - 1).map((t) => run(inputOf(t), ticksPerTask));
      crossed += before.reduce((n, s) => n + s.emigrants.length, 0);
      const expected = merge(before, w, h);
      for (const [r, t] of batch(e).entries()) {
        expect(t.input, `task ${t.taskId} input`).to.equal(
          `0x${Buffer.from(encodeInput(expected[r]!, ticksPerTask)).toString("hex")}`,
        );
      }
    }
    // The world is one world: particles crossed between shards.
    expect(crossed).to.be.greaterThan(0);
  });

  it("slashes the adversary, and only the adversary, for wrong results", function () {
    const adversary = report.workers.find((x) => x.adversarial)!;
    expect(adversary.slashCount).to.be.greaterThan(0);
    expect(BigInt(adversary.stakeEnd)).to.be.lessThan(BigInt(adversary.stakeStart));
    const stake = report.workers.reduce((a, x) => a + BigInt(x.stakeStart), 0n);
    // In per mille, as bigints: the ethers matchers plugin refuses non-integer numbers in chai's comparisons.
    const perMille = (BigInt(adversary.stakeStart) * 1000n) / stake;
    expect(perMille >= 198n && perMille <= 202n, `the adversary's stake share ${perMille}/1000`).to.equal(true);
    const forLies = report.slashes.filter((s) => s.reason === "WrongResult" || s.reason === "LostGame");
    expect(forLies.length).to.be.greaterThan(0);
    for (const s of forLies) expect(s.worker).to.equal(adversary.address);
    // Every overturned task is one the adversary's wrong result had carried, settled by a challenge.
    for (const t of report.tasks.filter((x) => x.outcome === "overturned")) {
      expect(t.proposedResultHash).to.not.equal(t.trustedResultHash);
      expect(t.challenges).to.be.greaterThan(0);
      expect(t.settledBy).to.be.oneOf(["committee", "game"]);
    }
  });

  it("accounts for every token: stake lost equals slashes, the record's totals add up", function () {
    for (const w of report.workers) {
      expect(BigInt(w.stakeStart) - BigInt(w.stakeEnd), w.label).to.equal(BigInt(w.slashed));
    }
    const slashed = report.slashes.reduce((a, s) => a + BigInt(s.amount), 0n);
    expect(report.totals.slashedAmount).to.equal(String(slashed));
    const rewards = report.workers.reduce((a, w) => a + BigInt(w.rewards), 0n);
    expect(report.totals.rewardsPaid).to.equal(String(rewards));
    expect(rewards).to.be.greaterThan(0n);
    const seats = report.workers.reduce((a, w) => a + w.seats, 0);
    expect(seats).to.equal(report.tasks.reduce((a, t) => a + t.seats, 0));
    expect(report.seatsByLayer.reduce((a, l) => a + l.total, 0)).to.equal(seats);
    expect(report.seatsByLayer[0]!.layer).to.equal("first committee");
    expect(BigInt(report.totals.gasPerTask)).to.be.greaterThan(0n);
  });
  it("writes the report of the run, which renders in headless Chromium with every chart and the world drawn", async function () {
    const html = path.join(out, "index.html");
    expect(existsSync(html), result.output).to.equal(true);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
      const charts = await page.$$eval("figure.chart", (figures) =>
        figures.map((f) => ({ name: f.getAttribute("data-chart"), elements: f.querySelectorAll("svg *").length })),
      );
      for (const name of ["stake", "seats", "world", "timeline"]) {
        const chart = charts.find((c) => c.name === name);
        expect(chart, `chart ${name} in ${JSON.stringify(charts)}`).to.not.equal(undefined);
        expect(chart!.elements, name).to.be.greaterThan(10);
      }
      expect(await page.locator("#fig-stake path.slice").count()).to.equal(report.workers.length);
      // Every particle of the run's final world is drawn with an area, over one outline per region.
      const drawn = await page.$$eval(
        "#fig-world circle.particle",
        (circles) => circles.filter((c) => (c as unknown as Graphics).getBBox().width > 0).length,
      );
      expect(drawn).to.equal(report.world.particles.length).and.to.be.greaterThan(0);
      expect(await page.locator("#fig-world rect.region").count()).to.equal(GRID.x * GRID.y);
      expect(await page.locator("#fig-timeline rect.task").count()).to.equal(report.tasks.length);
      expect(errors).to.deep.equal([]);
      const shot = path.join(tmpdir(), `cohort-demo-report-${process.pid}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`      screenshot of the run's report: ${shot}`);
    } finally {
      await browser.close();
    }
  });
});
