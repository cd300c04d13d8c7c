// Whether an ELF image fits a VM's RAM: every loaded segment and the entry point inside it.

import type { ElfImage } from '../loader/elf.js';
import { RAM_BASE } from '../memory/memory-map.js';
import { formatSize, hex } from './fields.js';

/** One line per reason the image cannot run in `ramBytes` of RAM at RAM_BASE; [] when it fits. */
export function imageFitProblems(image: ElfImage, ramBytes: number): string[] {
  const problems: string[] = [];
  const ramEnd = RAM_BASE + ramBytes;
  const ram = `the VM's ${formatSize(ramBytes)} of RAM at ${hex(RAM_BASE)}`;
  for (const segment of image.segments) {
    if (segment.memSize === 0) continue;
    const end = segment.paddr + segment.memSize;
    if (segment.paddr < RAM_BASE || end > ramEnd) problems.push(`segment at ${hex(segment.paddr)}..${hex(end - 1)} does not fit in ${ram}`);
  }
  if (image.entry < RAM_BASE || image.entry >= ramEnd) problems.push(`entry point ${hex(image.entry)} is not in ${ram}`);
  return problems;
}
