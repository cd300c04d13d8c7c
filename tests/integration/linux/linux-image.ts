// Where the boot tests find the Linux Image that guests/linux/build.sh makes, and why they skip
// without one. CI builds it before the tests (.ci/run) and must never skip them.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** TESSERA_LINUX_IMAGE, or the build script's default output. */
export const LINUX_IMAGE = process.env.TESSERA_LINUX_IMAGE ?? `${ROOT}guests/linux/out/Image`;

export const HAVE_LINUX = existsSync(LINUX_IMAGE);

if (!HAVE_LINUX && process.env.CI === 'true') {
  throw new Error(`CI must run the Linux boot tests, but ${LINUX_IMAGE} is missing: .ci/run builds it with guests/linux/build.sh`);
}

/** Appended to a skipped suite's name. */
export const LINUX_SKIP_REASON = HAVE_LINUX ? '' : ' (skipped: no Linux Image; build it with guests/linux/build.sh, which needs linux-source-6.1 and gcc-riscv64-linux-gnu)';

export function linuxImage(): Uint8Array {
  return new Uint8Array(readFileSync(LINUX_IMAGE));
}

/** The command line every boot test gives: the UART console, and uio for channel windows. */
export const LINUX_BOOTARGS = 'console=ttyS0 earlycon=sbi uio_pdrv_genirq.of_id=generic-uio';

/** The lines the init prints (guests/linux/init), in order. */
export function initLines(console: string): string[] {
  return console.split('\n').filter((line) => line.includes('tessera-init:')).map((line) => line.slice(line.indexOf('tessera-init:')).trimEnd());
}
