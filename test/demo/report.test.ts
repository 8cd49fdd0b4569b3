/**
 * The demo report in a real browser: a realistic run record (test/demo/fixtures/report.ts) is rendered with
 * renderReport, opened in headless Debian Chromium through playwright-core, and every chart is counted against the
 * record; the PNGs are decoded and looked at; a screenshot is saved. Independent of the demo engine, whose own test
 * covers a real run.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

import { expect } from "chai";
import type { Browser, Page } from "playwright-core";

import { ReportDataInvalidError, ReportFontMissingError } from "../../scripts/demo/report/errors.js";
import { createRasterizer, PNG_ZOOM } from "../../scripts/demo/report/png.js";
import { renderReport, buildCharts, type RenderedReport } from "../../scripts/demo/report/render.js";
import { parseReport } from "../../scripts/demo/report/schema.js";
import { COLORS } from "../../scripts/demo/report/svg.js";
import type { DemoReport } from "../../scripts/demo/report/types.js";
import { launchChromium, type Graphics } from "./browser.js";
import { makeDemoReport } from "./fixtures/report.js";

// Browser globals that the callbacks run in the page use: the project compiles for Node, without the "dom" lib.
interface Canvas {
  width: number;
  height: number;
  getContext(kind: "2d"): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
declare const document: { createElement(tag: "canvas"): Canvas };
declare const Image: new () => { src: string; naturalWidth: number; naturalHeight: number; decode(): Promise<void> };

const run = promisify(execFile);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${file} has the PNG signature`).to.equal(true);
  expect(bytes.toString("latin1", 12, 16), `${file} starts with IHDR`).to.equal("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("demo report: the page in headless Chromium", function () {
  // Built in `before`, not at load: mocha loads every test file of the suite, and a failure here must stay in this one.
  let report: DemoReport;
  let outDir: string;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let rendered: RenderedReport;
  let browser: Browser;
  let page: Page;

  const regionTasks = (x: number, y: number) => report.tasks.filter((t) => t.region.x === x && t.region.y === y);

  before(async function () {
    report = makeDemoReport();
    outDir = mkdtempSync(path.join(tmpdir(), "cohort-report-"));
    rendered = await renderReport(report, outDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    await page.goto(pathToFileURL(rendered.html).href, { waitUntil: "load" });
  });

  after(async function () {
    await browser?.close();
  });

  it("the fixture is the realistic run the report must show", function () {
    expect(report.workers).to.have.length(20);
    expect(report.world.regions).to.have.length(16);
    expect(report.workers.filter((w) => w.adversarial)).to.have.length(1);
    for (const outcome of ["finalized", "challenged", "overturned"] as const)
      expect(report.tasks.filter((t) => t.outcome === outcome).length, outcome).to.be.greaterThan(0);
    expect(report.slashes.length).to.be.greaterThan(0);
    expect(new Set(report.slashes.map((s) => s.reason)).size).to.be.greaterThan(1);
  });

  it("writes index.html and one PNG per chart", function () {
    expect(rendered.html).to.equal(path.join(outDir, "index.html"));
    const names = ["stake", "seats", "seats-first-committee", "seats-escalation-1", "world", "timeline", "slashing"];
    expect(rendered.pngs).to.deep.equal(names.map((n) => path.join(outDir, `${n}.png`)));
    expect(readdirSync(outDir).sort()).to.deep.equal(["index.html", ...names.map((n) => `${n}.png`)].sort());
  });

  it("draws every chart with content", async function () {
    const counts = await page.$$eval("figure.chart", (figures) =>
      figures.map((f) => ({ name: f.getAttribute("data-chart"), elements: f.querySelectorAll("svg *").length })),
    );
    expect(counts.map((c) => c.name)).to.deep.equal(buildCharts(report).map((c) => c.name));
    for (const c of counts) expect(c.elements, c.name ?? "").to.be.greaterThan(20);
  });

  it("the pie has one slice per worker with an area, the adversary's in red", async function () {
    const slices = await page.$$eval("#fig-stake path.slice", (paths) =>
      paths.map((p) => {
        const box = (p as unknown as Graphics).getBBox();
        return {
          adversarial: p.getAttribute("data-adversarial"),
          fill: p.getAttribute("fill"),
          area: box.width * box.height,
        };
      }),
    );
    expect(slices).to.have.length(report.workers.length);
    for (const s of slices) expect(s.area).to.be.greaterThan(0);
    const adversary = slices.filter((s) => s.adversarial === "true");
    expect(adversary).to.have.length(1);
    expect(adversary[0]!.fill).to.equal(COLORS.adversary);
    expect(slices.filter((s) => s.fill === COLORS.adversary)).to.have.length(1);
  });

  it("draws seats against stake per worker, overall and for every layer, with the record's counts", async function () {
    const series: [string, Record<string, number>][] = [
      ["seats", Object.fromEntries(report.workers.map((w) => [w.label, w.seats]))],
      ...report.seatsByLayer.map((layer, i): [string, Record<string, number>] => [
        ["seats-first-committee", "seats-escalation-1"][i]!,
        Object.fromEntries(report.workers.map((w) => [w.label, layer.seats[w.address] ?? 0])),
      ]),
    ];
    expect(series).to.have.length(1 + report.seatsByLayer.length);
    for (const [name, expected] of series) {
      const bars = await page.$$eval(`#fig-${name} rect.bar-seats`, (rects) =>
        rects.map((r) => ({
          worker: r.getAttribute("data-worker")!,
          seats: Number(r.getAttribute("data-seats")),
          height: Number(r.getAttribute("height")),
        })),
      );
      expect(bars, name).to.have.length(report.workers.length);
      expect(Object.fromEntries(bars.map((b) => [b.worker, b.seats])), name).to.deep.equal(expected);
      // More seats, taller bar: the geometry follows the counts.
      const sorted = [...bars].sort((a, b) => a.seats - b.seats);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.height).to.be.at.least(sorted[i - 1]!.height);
      expect(sorted[sorted.length - 1]!.height, name).to.be.greaterThan(0);
      expect(await page.locator(`#fig-${name} rect.bar-stake`).count(), name).to.equal(report.workers.length);
      expect(await page.locator(`#fig-${name} line.band`).count(), name).to.equal(report.workers.length);
    }
  });

  it("draws every particle inside the world view, over the region borders", async function () {
    const drawn = await page.$$eval("#fig-world circle.particle", (circles) => {
      const svg = circles[0]!.ownerSVGElement!;
      const width = Number(svg.getAttribute("width"));
      const height = Number(svg.getAttribute("height"));
      return circles.filter((c) => {
        const b = (c as unknown as Graphics).getBBox();
        return b.width > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= width && b.y + b.height <= height;
      }).length;
    });
    expect(drawn).to.equal(report.world.particles.length);
    expect(await page.locator("#fig-world rect.region").count()).to.equal(report.world.regions.length);
  });

  it("has one timeline row per region with that region's tasks, coloured by outcome", async function () {
    const rows = await page.$$eval("#fig-timeline g.timeline-row", (groups) =>
      groups.map((g) => ({
        region: g.getAttribute("data-region")!,
        tasks: [...g.querySelectorAll("rect.task")].map((r) => ({
          id: r.getAttribute("data-task"),
          outcome: r.getAttribute("data-outcome"),
          settledBy: r.getAttribute("data-settled-by"),
          fill: r.getAttribute("fill"),
        })),
      })),
    );
    expect(rows.map((r) => r.region)).to.deep.equal(report.world.regions.map((r) => `${r.x},${r.y}`));
    const colours = { finalized: COLORS.finalized, challenged: COLORS.challenged, overturned: COLORS.overturned };
    for (const row of rows) {
      const [x, y] = row.region.split(",").map(Number);
      const expected = regionTasks(x!, y!);
      expect(row.tasks.map((t) => t.id).sort(), row.region).to.deep.equal(expected.map((t) => t.taskId).sort());
      for (const mark of row.tasks) {
        const task = expected.find((t) => t.taskId === mark.id)!;
        expect(mark.outcome).to.equal(task.outcome);
        expect(mark.fill).to.equal(colours[task.outcome]);
        expect(mark.settledBy).to.equal(task.settledBy ?? null);
      }
    }
    const settled = report.tasks.filter((t) => t.settledBy).length;
    expect(await page.locator("#fig-timeline g.timeline .settled").count()).to.equal(settled);
  });

  it("shows every slash: who, how much, why, when", async function () {
    expect(await page.locator("#fig-slashing circle.slash").count()).to.equal(report.slashes.length);
    const rows = await page.$$eval("tr.slash-row", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    expect(rows).to.have.length(report.slashes.length);
    report.slashes.forEach((s, i) => {
      const worker = report.workers.find((w) => w.address === s.worker)!;
      expect(rows[i]).to.deep.equal([
        worker.label,
        s.worker,
        formatWhole(s.amount),
        s.reason,
        s.taskId,
        String(s.block),
      ]);
    });
  });

  it("shows the checks, the summary and the workers table", async function () {
    expect(await page.locator("li.check.pass").count()).to.equal(3);
    expect(await page.locator("li.check.fail").count()).to.equal(0);
    const summary = await page.$$eval("table.summary tr", (trs) =>
      Object.fromEntries(trs.map((tr) => [tr.cells[0]!.textContent, tr.cells[1]!.textContent])),
    );
    expect(summary["Tasks"]).to.equal(String(report.totals.tasks));
    expect(summary["Overturned"]).to.equal(String(report.totals.overturned));
    expect(summary["Slashes"]).to.equal(String(report.totals.slashes));
    expect(summary["Gas per task"]).to.equal(BigInt(report.totals.gasPerTask).toLocaleString("en-US"));
    expect(await page.locator("table.workers tbody tr").count()).to.equal(report.workers.length);
    expect(await page.locator("table.workers tr.adversary").count()).to.equal(1);
  });

  it("logs no console error and loads nothing beyond its own folder", async function () {
    expect(consoleErrors).to.deep.equal([]);
    const folder = pathToFileURL(outDir).href + "/";
    expect(requests).to.include(pathToFileURL(rendered.html).href);
    expect(requests.filter((url) => !url.startsWith(folder))).to.deep.equal([]);
    const html = readFileSync(rendered.html, "utf8");
    expect(html).not.to.match(/<script|<link|<img|@import|url\(/i);
  });

  it("writes PNGs that decode, at the charts' size, and are not blank", async function () {
    const charts = buildCharts(report);
    const viewer = await browser.newPage();
    try {
      for (const file of rendered.pngs) {
        const size = pngSize(file);
        const chart = charts.find((c) => path.join(outDir, `${c.name}.png`) === file)!;
        expect(size, file).to.deep.equal({ width: chart.width * PNG_ZOOM, height: chart.height * PNG_ZOOM });
        // A data: URL keeps the canvas untainted (a file:// image would not be readable back).
        const seen = await viewer.evaluate(
          async (src) => {
            const image = new Image();
            image.src = src;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext("2d")!;
            context.drawImage(image, 0, 0);
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            const colours = new Set<number>();
            let ink = 0;
            for (let i = 0; i < data.length; i += 4) {
              colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
              if (data[i]! < 250 || data[i + 1]! < 250 || data[i + 2]! < 250) ink++;
            }
            return {
              width: image.naturalWidth,
              height: image.naturalHeight,
              colours: colours.size,
              ink: ink / (data.length / 4),
            };
          },
          `data:image/png;base64,${readFileSync(file).toString("base64")}`,
        );
        expect(seen.width, file).to.equal(size.width);
        expect(seen.height, file).to.equal(size.height);
        expect(seen.colours, file).to.be.greaterThan(10);
        expect(seen.ink > 0.01, `${file}: ink share ${seen.ink}`).to.equal(true);
      }
    } finally {
      await viewer.close();
    }
  });

  it("saves a screenshot of the whole page", async function () {
    const file = path.join(outDir, "screenshot.png");
    await page.screenshot({ path: file, fullPage: true });
    const size = pngSize(file);
    expect(size.width).to.equal(1200);
    expect(size.height).to.be.greaterThan(3000);
    console.log(`      screenshot: ${file} (${size.width} x ${size.height})`);
  });

  it("renders the same bytes for the same record", async function () {
    const again = mkdtempSync(path.join(tmpdir(), "cohort-report-again-"));
    const second = await renderReport(makeDemoReport(), again);
    for (const [i, file] of [rendered.html, ...rendered.pngs].entries()) {
      const other = [second.html, ...second.pngs][i]!;
      expect(readFileSync(other).equals(readFileSync(file)), path.basename(file)).to.equal(true);
    }
  });

  it("escapes text from the record: a hostile label shows as text and runs nothing", async function () {
    const hostile = `<img src="x" onerror="alert(1)">&'`;
    const record: DemoReport = structuredClone(report);
    record.workers[0]!.label = hostile;
    record.checks.detail = [`</li><script>alert(2)</script>`];
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-report-hostile-"));
    const written = await renderReport(record, dir);
    const other = await browser.newPage();
    const seen: string[] = [];
    const dialogs: string[] = [];
    other.on("request", (request) => seen.push(request.url()));
    other.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    try {
      await other.goto(pathToFileURL(written.html).href, { waitUntil: "load" });
      expect(await other.locator("img, script").count()).to.equal(0);
      expect(await other.locator("table.workers tbody tr").first().locator("td").first().textContent()).to.equal(
        hostile,
      );
      expect(await other.locator("ul.detail li").textContent()).to.equal(`</li><script>alert(2)</script>`);
      expect(
        await other.locator(`#fig-stake path.slice[data-worker="${hostile.replace(/"/g, '\\"')}"]`).count(),
      ).to.equal(1);
      expect(dialogs).to.deep.equal([]);
      expect(seen.filter((url) => !url.startsWith(pathToFileURL(dir).href + "/"))).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });
});

describe("demo report: edge cases, named errors and the CLI", function () {
  it("refuses a record the charts cannot trust, naming the field", function () {
    const record: DemoReport = structuredClone(makeDemoReport());
    record.world.particles[0]!.region = 99;
    record.seatsByLayer[0]!.total += 1;
    try {
      parseReport(record, "the test record");
      expect.fail("parseReport accepted a particle in region 99");
    } catch (error) {
      expect(error).to.be.instanceOf(ReportDataInvalidError);
      const issues = (error as ReportDataInvalidError).issues;
      expect(issues).to.include("world.particles.0.region: region 99 but the world has 16 regions");
      expect(issues.some((i) => i.startsWith("seatsByLayer.0.total: total "))).to.equal(true);
    }
  });

  it("draws a run that did nothing: no tasks, no slashes, no layers, failed checks shown", async function () {
    const record: DemoReport = structuredClone(makeDemoReport({ epochs: 0 }));
    for (const w of record.workers)
      Object.assign(w, { seats: 0, seatShare: 0, rewards: "0", slashed: "0", slashCount: 0 });
    Object.assign(record, { slashes: [], seatsByLayer: [] });
    record.checks = { allFinalCorrect: true, adversarySlashed: false, accountingExact: true, detail: ["no slash"] };
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-report-empty-"));
    const written = await renderReport(record, dir);
    expect(written.pngs.map((p) => path.basename(p))).to.deep.equal([
      "stake.png",
      "seats.png",
      "world.png",
      "timeline.png",
      "slashing.png",
    ]);
    for (const png of written.pngs) expect(pngSize(png).width).to.be.greaterThan(0);
    const html = readFileSync(written.html, "utf8");
    expect(html).to.contain("No slashes in this run.").and.contain("No seats were drawn in all rounds of all tasks.");
    expect(html.match(/class="check fail"/g)).to.have.length(1);
    expect(html.match(/class="task"/g)).to.equal(null);
  });

  it("a second run into the same folder leaves only its own charts (other files stay)", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-report-again-"));
    const first = await renderReport(makeDemoReport(), dir);
    expect(first.pngs.map((p) => path.basename(p))).to.include("seats-escalation-1.png");
    writeFileSync(path.join(dir, "data.json"), "{}");
    writeFileSync(path.join(dir, "notes.png"), "not a chart");
    const record: DemoReport = structuredClone(makeDemoReport());
    record.seatsByLayer = [];
    const second = await renderReport(record, dir);
    const charts = second.pngs.map((p) => path.basename(p));
    expect(charts).to.not.include("seats-escalation-1.png");
    expect(readdirSync(dir).sort()).to.deep.equal(["data.json", "index.html", "notes.png", ...charts].sort());
  });

  it("fails with ReportFontMissingError rather than PNGs without text", function () {
    const missing = {
      family: "Nowhere Sans",
      regular: "/nonexistent/Nowhere.ttf",
      bold: "/nonexistent/NowhereBold.ttf",
    };
    expect(() => createRasterizer([missing]))
      .to.throw(ReportFontMissingError)
      .with.property("searched")
      .that.deep.equals(["/nonexistent/Nowhere.ttf"]);
  });

  it("node scripts/demo/report/main.ts rebuilds the report from data.json, and names a missing or invalid file", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-report-cli-"));
    const data = path.join(dir, "data.json");
    writeFileSync(data, JSON.stringify(makeDemoReport()));
    const cli = (args: string[]) =>
      run(process.execPath, ["scripts/demo/report/main.ts", ...args]).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

    const ok = await cli(["--data", data, "--out", path.join(dir, "out")]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain(`wrote ${path.join(dir, "out", "index.html")}`);
    expect(readdirSync(path.join(dir, "out"))).to.include.members(["index.html", "stake.png", "world.png"]);

    const missing = await cli(["--data", path.join(dir, "none.json"), "--out", path.join(dir, "x")]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain(`ReportDataMissingError: no run record at ${path.join(dir, "none.json")}`);

    writeFileSync(path.join(dir, "bad.json"), "{ not json");
    const bad = await cli(["--data", path.join(dir, "bad.json"), "--out", path.join(dir, "x")]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("ReportDataInvalidError").and.contain("not JSON");
    expect(existsSync(path.join(dir, "x"))).to.equal(false);
  });
});

/** Whole tokens with separators, as the page prints an amount of base units that has no fraction. */
function formatWhole(baseUnits: string): string {
  const units = BigInt(baseUnits);
  const whole = units / 10n ** 18n;
  const fraction = (units % 10n ** 18n) / 10n ** 16n;
  return `${whole.toLocaleString("en-US")}${fraction > 0n ? `.${String(fraction).padStart(2, "0").replace(/0+$/, "")}` : ""}`;
}
