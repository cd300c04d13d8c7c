// A kernel boot laid out as qemu-system-riscv32 -M virt lays it out: the kernel (a RISC-V Image or an
// ELF) 4 MiB into RAM after a firmware (at RAM's start with -bios none), the initrd halfway into RAM
// (at most 128 MiB past the kernel), the device tree at the top with /chosen naming both, and for a
// firmware given as a file, QEMU's fw_dynamic_info (a2) saying where the kernel is and in which mode.

import { buildDeviceTree, fdtLoadAddress, ISA_STRING } from './device-tree.js';
import { ElfError, parseElf, type ElfImage, type ElfSegment } from './elf.js';
import { RAM_BASE } from '../memory/memory-map.js';

const MiB = 1024 * 1024;
/** QEMU's RV32 kernel alignment past a firmware. */
const KERNEL_ALIGN = 4 * MiB;
/** The RISC-V Image header: "RSC\x05" at 0x38, the image's size in memory (with its bss) at 0x10. */
const IMAGE_MAGIC2 = 0x0543_5352;
const IMAGE_HEADER_BYTES = 64;
/** fw_dynamic_info: magic "OSBI", version 2, next_mode S. */
const FW_DYNAMIC_MAGIC = 0x4942_534f;
const FW_DYNAMIC_VERSION = 2;
const NEXT_MODE_S = 1;
const FW_DYNAMIC_INFO_BYTES = 24;
/** Linux's device tree takes the command line as one string; QEMU refuses what the tree cannot hold. */
export const MAX_BOOTARGS_BYTES = 4096;

export interface KernelBootFiles {
  kernel: Uint8Array;
  initrd?: Uint8Array;
  bootargs?: string;
  /** A firmware file to run in M-mode first; 'none': the kernel itself starts in M-mode; undefined: the built-in SBI. */
  bios?: Uint8Array | 'none';
}

export interface KernelBoot {
  /** Everything to load, firmware, kernel, initrd and fw_dynamic_info, with the entry of what runs first. */
  image: ElfImage;
  deviceTree: Uint8Array;
  fdtAddress: number;
  firmware: 'none' | 'sbi';
  /** a2 at entry: fw_dynamic_info for a firmware file, else 0. */
  a2: number;
  /** Where the initrd went (end exclusive), if there is one. */
  initrd?: { start: number; end: number };
}

/** A mistake in a kernel, initrd or firmware file, or in where they go: one line. */
export class KernelBootError extends Error {
  override readonly name = 'KernelBootError';
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

export function planKernelBoot(files: KernelBootFiles, harts: number, ramBytes: number): KernelBoot {
  const ramEnd = RAM_BASE + ramBytes;
  const parts: { name: string; segment: ElfSegment }[] = [];
  let firmwareEntry: number | undefined;
  if (files.bios instanceof Uint8Array) {
    const firmware = loadable('firmware', files.bios, RAM_BASE);
    parts.push(...firmware.segments.map((segment) => ({ name: 'firmware', segment })));
    firmwareEntry = firmware.entry;
  }
  const kernelBase = files.bios === 'none' ? RAM_BASE : RAM_BASE + KERNEL_ALIGN;
  const kernel = loadable('kernel', files.kernel, kernelBase);
  parts.push(...kernel.segments.map((segment) => ({ name: 'kernel', segment })));

  let initrd: { start: number; end: number } | undefined;
  if (files.initrd !== undefined) {
    const start = kernel.entry + Math.min(ramBytes / 2, 128 * MiB);
    initrd = { start, end: start + files.initrd.length };
    parts.push({ name: 'initrd', segment: segment(start, files.initrd, 0b100) });
  }
  const argsBytes = files.bootargs === undefined ? 0 : new TextEncoder().encode(files.bootargs).length;
  if (argsBytes + 1 > MAX_BOOTARGS_BYTES) {
    throw new KernelBootError(`the kernel command line is ${argsBytes} bytes; the device tree takes at most ${MAX_BOOTARGS_BYTES - 1}`);
  }
  const deviceTree = buildDeviceTree({
    harts, ramBase: RAM_BASE, ramBytes, isa: ISA_STRING, timebaseHz: 10_000_000,
    ...(files.bootargs !== undefined ? { bootargs: files.bootargs } : {}),
    ...(initrd !== undefined ? { initrd } : {}),
  });
  const fdtAddress = fdtLoadAddress(RAM_BASE, ramBytes, deviceTree.length);
  let a2 = 0;
  // The device tree and the hand-off below it are the last things loaded: nothing may reach them.
  const reserved = { start: firmwareEntry !== undefined ? fdtAddress - FW_DYNAMIC_INFO_BYTES : fdtAddress, end: fdtAddress + deviceTree.length };
  for (const { name, segment: s } of parts) {
    const end = s.paddr + s.memSize;
    if (s.paddr < RAM_BASE || end > ramEnd) throw new KernelBootError(`the ${name} (${hex(s.paddr)}..${hex(end - 1)}) does not fit in RAM ${hex(RAM_BASE)}..${hex(ramEnd - 1)}: give more --mem`);
    if (s.paddr < reserved.end && end > reserved.start) throw new KernelBootError(`the ${name} (${hex(s.paddr)}..${hex(end - 1)}) overlaps the device tree at ${hex(fdtAddress)}: give more --mem`);
  }
  if (firmwareEntry !== undefined) {
    a2 = reserved.start;
    const info = new DataView(new ArrayBuffer(FW_DYNAMIC_INFO_BYTES));
    [FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, kernel.entry, NEXT_MODE_S, 0, 0].forEach((word, i) => info.setUint32(4 * i, word >>> 0, true));
    parts.push({ name: 'fw_dynamic_info', segment: segment(a2, new Uint8Array(info.buffer), 0b100) });
  }
  return {
    image: { entry: firmwareEntry ?? kernel.entry, segments: parts.map((p) => p.segment), symbols: new Map() },
    deviceTree,
    fdtAddress,
    firmware: files.bios === undefined ? 'sbi' : 'none',
    a2,
    ...(initrd !== undefined ? { initrd } : {}),
  };
}

/**
 * A kernel VM's next version (firmware over the air): `kernel` laid out as planKernelBoot lays it out,
 * with the VM's initrd (taken from the image it booted) where it was, so the device tree the VM was
 * given stays true. Throws a KernelBootError with one line when the new kernel cannot be booted so.
 */
export function nextKernelImage(previous: ElfImage, kernel: Uint8Array, config: { bootargs?: string; initrd?: { start: number; end: number } }, harts: number, ramBytes: number): ElfImage {
  const range = config.initrd;
  const initrd = range === undefined ? undefined : previous.segments.find((s) => s.paddr === range.start)?.data;
  if (range !== undefined && initrd === undefined) throw new KernelBootError(`the VM's initrd is not in the image it booted (at ${hex(range.start)})`);
  const plan = planKernelBoot({ kernel, ...(initrd !== undefined ? { initrd } : {}), ...(config.bootargs !== undefined ? { bootargs: config.bootargs } : {}) }, harts, ramBytes);
  if (range !== undefined && plan.initrd?.start !== range.start) {
    throw new KernelBootError(`the new kernel's entry ${hex(plan.image.entry)} would move the initrd from ${hex(range.start)}; its device tree says it is there`);
  }
  return plan.image;
}

/** An ELF as it says, or a RISC-V Image (kernel) / raw binary (firmware) at `base`. */
function loadable(what: 'kernel' | 'firmware', bytes: Uint8Array, base: number): ElfImage {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    try {
      return parseElf(bytes);
    } catch (error) {
      if (error instanceof ElfError) throw new KernelBootError(`the ${what} is an ELF that cannot be loaded: ${error.message}`);
      throw error;
    }
  }
  if (what === 'firmware') {
    if (bytes.length === 0) throw new KernelBootError('the firmware file is empty');
    return { entry: base, segments: [segment(base, bytes, 0b111)], symbols: new Map() };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < IMAGE_HEADER_BYTES || view.getUint32(0x38, true) !== IMAGE_MAGIC2) {
    throw new KernelBootError('the kernel is neither a RISC-V Image (no "RSC\\x05" at offset 0x38) nor an ELF');
  }
  const imageSize = Number(view.getBigUint64(0x10, true));
  const memSize = Math.max(bytes.length, Number.isSafeInteger(imageSize) ? imageSize : 0);
  return { entry: base, segments: [{ ...segment(base, bytes, 0b111), memSize }], symbols: new Map() };
}

function segment(at: number, data: Uint8Array, flags: number): ElfSegment {
  return { paddr: at, vaddr: at, data, memSize: data.length, flags };
}
