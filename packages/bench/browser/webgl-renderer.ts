/** The GPU (or SwiftShader, WebGL on the CPU) behind tfjs-webgl's figures, as the page's WebGL names it. */
export function webglRenderer(): string {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return 'no WebGL context in this browser';
  // The unmasked name says "SwiftShader"; without the extension only the vendor's masked one is left.
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
