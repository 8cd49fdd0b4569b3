/**
 * SVG building blocks shared by the charts: escaping, elements, the palette and the document wrapper. Every chart is
 * a string of SVG so that the same text is inlined into index.html and rasterized to PNG (png.ts): what the browser
 * shows and what the PNG shows cannot drift apart.
 */

/** Escapes text for XML/HTML content and attribute values (both quote kinds, so any attribute quoting is safe). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export type Attrs = Record<string, string | number | undefined>;

/**
 * One element. Numbers are rounded to two decimals so output is short and the same on every platform; undefined
 * attributes are left out. `children` is already-built markup (use `text()` for plain text).
 */
export function el(name: string, attrs: Attrs = {}, children = ""): string {
  let out = `<${name}`;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${key}="${escapeXml(typeof value === "number" ? num(value) : value)}"`;
  }
  return children === "" ? `${out}/>` : `${out}>${children}</${name}>`;
}

/** Plain text as element content. */
export function text(content: string): string {
  return escapeXml(content);
}

/** A `<title>` child: the tooltip a browser shows on hover. */
export function tooltip(content: string): string {
  return el("title", {}, text(content));
}

/** A number with at most two decimals and no trailing zeros; -0 prints as 0. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * The font stack. The PNG renderer loads one of these families from a Debian font file (png.ts), the browser uses the
 * same or its own sans-serif.
 */
export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

export const COLORS = {
  ink: "#1f2430",
  muted: "#6b7280",
  grid: "#e5e7eb",
  background: "#ffffff",
  adversary: "#d62839",
  stake: "#9ca3af",
  seats: "#2f6fdf",
  band: "#1f2430",
  finalized: "#2a9d5b",
  challenged: "#e9a23b",
  overturned: "#d62839",
  border: "#374151",
} as const;

/** Colours for honest workers and regions: distinct, none of them the adversary's red. */
export const SERIES = [
  "#2f6fdf",
  "#2a9d8f",
  "#8ab17d",
  "#e9c46a",
  "#7b5ea7",
  "#3a86ff",
  "#43aa8b",
  "#90be6d",
  "#577590",
  "#b5838d",
  "#4d908e",
  "#f9c74f",
  "#6d597a",
  "#277da1",
  "#a3b18a",
  "#9d8189",
] as const;

export function seriesColor(index: number): string {
  return SERIES[((index % SERIES.length) + SERIES.length) % SERIES.length]!;
}

/** A chart: its SVG text and its size in CSS pixels (the PNG is rendered at a multiple of it). */
export interface Chart {
  /** File stem of its PNG and id of its figure in the page ("stake", "seats", ...). */
  name: string;
  title: string;
  /** One paragraph under the chart saying how to read it. */
  caption: string;
  width: number;
  height: number;
  svg: string;
}

/** Wraps chart content into a standalone SVG document with a white background (PNG viewers show transparency). */
export function svgDocument(name: string, width: number, height: number, title: string, body: string): string {
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      width,
      height,
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      "font-family": FONT_FAMILY,
      "font-size": 12,
      fill: COLORS.ink,
      role: "img",
      "aria-label": title,
      "data-chart": name,
    },
    el("rect", { x: 0, y: 0, width, height, fill: COLORS.background }) +
      el("text", { x: 16, y: 24, "font-size": 15, "font-weight": "bold" }, text(title)) +
      body,
  );
}

/** A legend entry: a swatch and its label; returns the markup and the width it takes. */
export function legendItem(x: number, y: number, color: string, label: string): { svg: string; width: number } {
  const svg =
    el("rect", { x, y: y - 9, width: 10, height: 10, fill: color, rx: 2 }) +
    el("text", { x: x + 14, y, "font-size": 11, fill: COLORS.muted }, text(label));
  return { svg, width: 14 + approxTextWidth(label, 11) + 14 };
}

/** Text width estimate for layout (DejaVu Sans averages about 0.6 em per character). */
export function approxTextWidth(content: string, fontSize: number): number {
  return content.length * fontSize * 0.6;
}
