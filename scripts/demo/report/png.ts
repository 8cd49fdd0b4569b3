/**
 * SVG to PNG with resvg (@resvg/resvg-js, a prebuilt N-API binary from npm). resvg draws text only with fonts it has
 * loaded and otherwise drops it without a word, so the rasterizer loads one font file, then draws a probe word and
 * refuses to go on if it drew nothing. The font comes from npm first (`dejavu-fonts-ttf`, a dependency), so the demo
 * needs nothing the machine may lack and every machine draws the same bytes; Debian's font packages are the fallback.
 * Only the chosen files are loaded (no system font scan).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";

import { ReportFontMissingError, ReportTextNotRenderedError } from "./errors.ts";

/** Where npm installed the DejaVu TTFs (undefined if the package is missing: then a Debian package may serve). */
function npmDejaVu(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json"));
  } catch {
    return undefined;
  }
}
const NPM_DEJAVU = npmDejaVu();

/** Regular and bold files of one family, by the package that installs them (npm's first, then Debian's). */
export const FONT_CANDIDATES = [
  ...(NPM_DEJAVU === undefined
    ? []
    : [
        {
          family: "DejaVu Sans",
          package: "dejavu-fonts-ttf (npm)",
          regular: path.join(NPM_DEJAVU, "ttf/DejaVuSans.ttf"),
          bold: path.join(NPM_DEJAVU, "ttf/DejaVuSans-Bold.ttf"),
        },
      ]),
  {
    family: "DejaVu Sans",
    package: "fonts-dejavu-core",
    regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    bold: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
  },
  {
    family: "Liberation Sans",
    package: "fonts-liberation",
    regular: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    bold: "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
  },
  {
    family: "Liberation Sans",
    package: "fonts-liberation2",
    regular: "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    bold: "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
  },
  {
    family: "Noto Sans",
    package: "fonts-noto-core",
    regular: "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    bold: "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
  },
];

/** PNGs are drawn at twice the SVG's size, sharp on high-density screens and in the README. */
export const PNG_ZOOM = 2;

export interface Rasterizer {
  family: string;
  fontFile: string;
  toPng(svg: string): Buffer;
}

/**
 * @throws ReportFontMissingError when none of FONT_CANDIDATES is installed
 * @throws ReportTextNotRenderedError when the font loads but a probe word draws no pixels
 */
export function createRasterizer(
  candidates: readonly { family: string; regular: string; bold: string }[] = FONT_CANDIDATES,
): Rasterizer {
  const font = candidates.find((c) => existsSync(c.regular));
  if (!font) throw new ReportFontMissingError(candidates.map((c) => c.regular));
  const options: ResvgRenderOptions = {
    font: {
      loadSystemFonts: false,
      fontFiles: existsSync(font.bold) ? [font.regular, font.bold] : [font.regular],
      defaultFontFamily: font.family,
      sansSerifFamily: font.family,
    },
    fitTo: { mode: "zoom", value: PNG_ZOOM },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  };
  const rasterizer: Rasterizer = {
    family: font.family,
    fontFile: font.regular,
    toPng: (svg) => new Resvg(svg, options).render().asPng(),
  };
  if (inkPixels(rasterizeProbe(options, font.family)) === 0)
    throw new ReportTextNotRenderedError(font.regular, font.family);
  return rasterizer;
}

/** The word "Cohort" alone on white: if the font works, some pixels are not white. */
function rasterizeProbe(options: ResvgRenderOptions, family: string): Buffer {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#fff"/>` +
    `<text x="8" y="28" font-family="${family}" font-size="24" fill="#000">Cohort</text></svg>`;
  return new Resvg(svg, { ...options, fitTo: { mode: "original" } }).render().pixels;
}

/** Pixels (RGBA) that are not pure white. */
export function inkPixels(rgba: Buffer): number {
  let n = 0;
  for (let i = 0; i + 3 < rgba.length; i += 4) if (rgba[i]! < 250 || rgba[i + 1]! < 250 || rgba[i + 2]! < 250) n++;
  return n;
}
