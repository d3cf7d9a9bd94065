/**
 * Waiting for a source to change: resolves when `changed()` turns true (checked every `pollMs`),
 * when a file-system watcher calls one of the registered wakers, or after `timeoutMs`.
 */
export function waitUntilChanged(changed: () => boolean, wakers: Set<() => void>, pollMs: number, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      wakers.delete(finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, timeoutMs));
    const poll = setInterval(() => {
      if (changed()) finish();
    }, pollMs);
    wakers.add(finish);
  });
}
