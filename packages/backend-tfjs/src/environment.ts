/** Which host we run in, and why a tfjs backend cannot run here. Cheap and side-effect free. */

export function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node != null;
}

export function wasmUnavailableReason(): string | null {
  return typeof WebAssembly === 'undefined' ? 'WebAssembly is not supported in this environment' : null;
}

// Probing creates a WebGL context, so do it once: core asks on every listBackends().
let webglReason: string | null | undefined;

export function webglUnavailableReason(): string | null {
  if (webglReason === undefined) webglReason = probeWebgl();
  return webglReason;
}

function probeWebgl(): string | null {
  if (typeof document === 'undefined' || typeof WebGLRenderingContext === 'undefined') {
    return isNode()
      ? 'WebGL needs a browser: no document/WebGL2RenderingContext in Node.js'
      : 'WebGL needs a browser page: no document/WebGLRenderingContext here';
  }
  // The API can exist while the GPU is blocklisted or disabled (e.g. headless Chromium without
  // SwiftShader); only creating a context tells, and tfjs would fail later with a vaguer error.
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (gl === null) return 'this browser could not create a WebGL context (WebGL disabled or no GPU)';
  // Browsers cap the live contexts per page; give the probe's back now rather than at GC.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return null;
}
