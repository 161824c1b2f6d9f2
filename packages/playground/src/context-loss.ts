// Tells the page when a WebGL context is lost. tfjs-webgl draws on a canvas (an OffscreenCanvas
// in Chromium) that is never in the document, so the page cannot listen on it directly: every
// WebGL context created from now on gets a listener when it is made.

type Listener = () => void;
const listeners = new Set<Listener>();
const contexts: (WebGLRenderingContext | WebGL2RenderingContext)[] = [];

function watch(proto: { getContext: (...args: never[]) => unknown }): void {
  const original = proto.getContext;
  proto.getContext = function (this: HTMLCanvasElement | OffscreenCanvas, ...args: never[]) {
    const context = (original as (...a: never[]) => unknown).apply(this, args);
    const kind = String(args[0]);
    if (context && (kind === 'webgl' || kind === 'webgl2') && !contexts.includes(context as WebGL2RenderingContext)) {
      contexts.push(context as WebGL2RenderingContext);
      this.addEventListener('webglcontextlost', () => listeners.forEach((l) => l()));
    }
    return context;
  } as typeof proto.getContext;
}

/** Call before any backend initialises. */
export function installContextLossWatch(): void {
  watch(HTMLCanvasElement.prototype as never);
  if (typeof OffscreenCanvas !== 'undefined') watch(OffscreenCanvas.prototype as never);
}

export function onWebglContextLost(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Loses every watched context that is still alive (what a GPU reset does); for tests. */
export function loseWebglContexts(): number {
  let lost = 0;
  for (const gl of contexts) {
    if (gl.isContextLost()) continue;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    lost++;
  }
  return lost;
}
