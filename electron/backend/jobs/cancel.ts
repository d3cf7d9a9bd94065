/**
 * A cancel flag shared across threads: an Int32Array over a SharedArrayBuffer.
 * The owner sets it; workers poll it between chunks (Atomics.load) or sleep on it (Atomics.wait).
 */
export class CancelFlag {
  readonly buffer: SharedArrayBuffer;
  private readonly cell: Int32Array;

  constructor(buffer?: SharedArrayBuffer) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.cell = new Int32Array(this.buffer, 0, 1);
  }

  get cancelled(): boolean {
    return Atomics.load(this.cell, 0) !== 0;
  }

  cancel(): void {
    Atomics.store(this.cell, 0, 1);
    Atomics.notify(this.cell, 0);
  }

  /** Block this thread up to `ms` or until cancelled (workers only: the main thread must not block). */
  sleep(ms: number): boolean {
    if (this.cancelled) return true;
    Atomics.wait(this.cell, 0, 0, ms);
    return this.cancelled;
  }
}
