/** Headless Debian Chromium through playwright-core, for the demo report's tests. */
import { existsSync } from "node:fs";

import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches Chromium, or fails with what to install: a report no browser opened is not a tested report. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM });
}

/** What the page's SVG `getBBox` returns (the project compiles for Node, without the "dom" lib). */
export interface Graphics {
  getBBox(): { x: number; y: number; width: number; height: number };
}
