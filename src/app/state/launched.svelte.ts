/**
 * Files handed to Kura from outside: shared to the installed app (share target) or opened with it
 * (file handler). Home backs them up as a set of files, as soon as it is on screen.
 */
export class LaunchedFiles {
  files = $state.raw<File[]>([]);

  add(files: readonly File[]): void {
    if (files.length > 0) this.files = [...this.files, ...files];
  }

  /** Hands over the waiting files, once. */
  take(): File[] {
    const taken = this.files;
    this.files = [];
    return taken;
  }
}
