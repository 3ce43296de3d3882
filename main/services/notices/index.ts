/**
 * Lines for the operator about something the console did on its own to a file of its data folder
 * (a capacity history compacted back, a watch file set aside): the same place every shell already
 * shows problems. The CLI prints each as a warning when it is reported; the window and the browser
 * shell show them with the settings' problems in `app.status` (the status bar).
 */

/** How many distinct lines are kept (the newest); a long-running shell must not grow without end. */
export const MAX_NOTICES = 20;

/** The notices of one core: reported lines, kept once each, newest last. */
export class OperatorNotices {
  readonly #lines: string[] = [];
  readonly #listeners = new Set<(line: string) => void>();

  /** Add a line (a repeat of one already kept is not added again, nor told again). */
  report(line: string): void {
    const text = line.endsWith('.') ? line : `${line}.`;
    if (this.#lines.includes(text)) return;
    this.#lines.push(text);
    if (this.#lines.length > MAX_NOTICES) this.#lines.shift();
    for (const listener of this.#listeners) listener(text);
  }

  /** The lines kept, oldest first. */
  list(): string[] {
    return [...this.#lines];
  }

  /** Called with each new line (the CLI prints it); returns the unsubscribe. */
  onReport(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
