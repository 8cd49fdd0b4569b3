/**
 * Progress while the demo runs: on a terminal, one bar redrawn on stderr with the events above it; elsewhere (a pipe,
 * CI, `--plain`), plain lines only. Events are the moments worth seeing: a batch posted, a wrong result proposed, a
 * challenge, an overturn, a slash.
 */
export interface ProgressState {
  finalized: number;
  total: number;
  epoch: number;
  epochs: number;
  block: number;
  challenges: number;
  slashes: number;
}

const BAR_WIDTH = 28;

export class Progress {
  readonly #tty: boolean;
  readonly #startedAt = Date.now();
  #state: ProgressState | undefined;
  #drawn = false;

  constructor(plain: boolean) {
    this.#tty = !plain && process.stderr.isTTY === true;
  }

  /** An event line (above the bar on a terminal). */
  line(text: string): void {
    const stamp = `[${((Date.now() - this.#startedAt) / 1000).toFixed(1).padStart(6)} s]`;
    if (this.#tty && this.#drawn) process.stderr.write("\r\x1b[2K");
    process.stderr.write(`${stamp} ${text}\n`);
    if (this.#tty && this.#state !== undefined) this.#draw(this.#state);
  }

  update(state: ProgressState): void {
    const changed =
      this.#state === undefined ||
      this.#state.finalized !== state.finalized ||
      this.#state.challenges !== state.challenges ||
      this.#state.slashes !== state.slashes ||
      this.#state.epoch !== state.epoch;
    this.#state = state;
    if (this.#tty) this.#draw(state);
    else if (changed) this.line(this.#text(state));
  }

  /** Ends the bar's line so that what follows starts on a fresh one. */
  done(): void {
    if (this.#tty && this.#drawn) process.stderr.write("\n");
    this.#drawn = false;
  }

  #draw(state: ProgressState): void {
    const filled = state.total === 0 ? 0 : Math.round((BAR_WIDTH * state.finalized) / state.total);
    const bar = `${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}`;
    process.stderr.write(`\r\x1b[2K[${bar}] ${this.#text(state)}`);
    this.#drawn = true;
  }

  #text(s: ProgressState): string {
    return (
      `${s.finalized}/${s.total} tasks final | batch ${Math.min(s.epoch + 1, s.epochs)}/${s.epochs} | ` +
      `block ${s.block} | challenges ${s.challenges} | slashes ${s.slashes}`
    );
  }
}
