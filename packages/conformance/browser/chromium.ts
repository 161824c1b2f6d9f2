// Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core.
// Never a downloaded browser: CI installs the distribution package (see .ci/run).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser is: $CHROMIUM_PATH, else Debian's binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Null when Chromium can run here, else why the browser tests are skipped. */
export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/**
 * WebGL 2 through ANGLE on SwiftShader (a CPU implementation), so WebGL works without a GPU;
 * the rest keeps a headless run from reaching the network.
 */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** `extraArgs` add to CHROMIUM_ARGS (the benchmark asks for precise performance.memory figures). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
