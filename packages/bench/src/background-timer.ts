/**
 * A repeating timer that never keeps a process alive: in Node it is unref'd, so a finished run
 * exits even if a sampler was not stopped; in a page there is nothing to unref. Returns its stop.
 */
export function backgroundInterval(tick: () => void, ms: number): () => void {
  const timer: unknown = setInterval(tick, ms);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer as Parameters<typeof clearInterval>[0]);
}
