/** A signal that aborts at `deadline` (a Date.now() value); `dispose` ends the phase: timer stopped, leftovers abandoned. */
export interface Deadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Not AbortSignal.timeout: its timer cannot be cancelled, so every invocation would leave one behind for
 * as long as its deadline, and a warm function would accumulate them.
 */
export function deadlineAt(deadline: number): Deadline {
  const controller = new AbortController();
  const left = Math.floor(deadline - Date.now());
  if (left <= 0) {
    // A deadline already passed reads as aborted now, not on a later tick.
    controller.abort();
    return { signal: controller.signal, dispose: () => undefined };
  }
  const timer = setTimeout(() => controller.abort(), left);
  timer.unref();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      // A request still open when its phase ends (an unneeded role session) is closed, not left running.
      controller.abort();
    },
  };
}
