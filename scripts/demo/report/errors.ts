/**
 * The report's named errors. Each carries the values a user needs to fix the cause; the CLI prints `name: message`
 * and exits with 2 for these (bad input or a missing system package) and 1 for anything else. Fields are assigned in
 * the body, not as parameter properties: plain `node` (type stripping) runs these files and cannot compile those.
 */

export class ReportError extends Error {
  override name = "ReportError";
}

/** The run record is not where it was looked for. */
export class ReportDataMissingError extends ReportError {
  override name = "ReportDataMissingError";
  readonly file: string;
  constructor(file: string) {
    super(`no run record at ${file}: run \`npm run demo\` first, or pass --data <file>`);
    this.file = file;
  }
}

/** The run record is not JSON, or not a DemoReport (scripts/demo/report/types.ts); `issues` lists each problem. */
export class ReportDataInvalidError extends ReportError {
  override name = "ReportDataInvalidError";
  readonly source: string;
  readonly issues: string[];
  constructor(source: string, issues: string[]) {
    super(`${source} is not a valid demo run record:\n  ${issues.join("\n  ")}`);
    this.source = source;
    this.issues = issues;
  }
}

/** None of the font files the PNGs can use is installed. */
export class ReportFontMissingError extends ReportError {
  override name = "ReportFontMissingError";
  readonly searched: string[];
  constructor(searched: string[]) {
    super(
      `no font for the report's PNG text; looked for ${searched.join(", ")}. ` +
        `Reinstall the dependencies (npm ci brings dejavu-fonts-ttf) or apt-get install fonts-dejavu-core`,
    );
    this.searched = searched;
  }
}

/** A font file was loaded but text still rendered as nothing: the PNGs would silently lose every label. */
export class ReportTextNotRenderedError extends ReportError {
  override name = "ReportTextNotRenderedError";
  readonly fontFile: string;
  readonly family: string;
  constructor(fontFile: string, family: string) {
    super(`text drew no pixels with font ${family} from ${fontFile}: the PNGs would have no labels`);
    this.fontFile = fontFile;
    this.family = family;
  }
}
