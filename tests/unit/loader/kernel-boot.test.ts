// Where a kernel boot puts the kernel, initrd, device tree and fw_dynamic_info (as qemu-system-riscv32
// -M virt does), and the one-line errors for files that cannot boot.

import { describe, expect, it } from 'vitest';
import { KernelBootError, nextKernelImage, planKernelBoot } from '../../../engine/loader/kernel-boot.js';
import { buildElf } from './elf-builder.js';

const MiB = 1024 * 1024;
const RAM = 0x8000_0000;

/** A RISC-V Image: its header names `memBytes` (with bss) and carries the "RSC\x05" magic. */
function image(fileBytes = 4096, memBytes = 8192): Uint8Array {
  const bytes = new Uint8Array(fileBytes);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0x10, BigInt(memBytes), true);
  view.setUint32(0x38, 0x0543_5352, true);
  return bytes;
}

const contains = (haystack: Uint8Array, text: string) => Buffer.from(haystack).includes(Buffer.from(text));

describe('planKernelBoot', () => {
  it('with the built-in SBI: the Image 4 MiB into RAM with its bss, the initrd halfway into a small RAM, both in /chosen', () => {
    const boot = planKernelBoot({ kernel: image(), initrd: new Uint8Array(1000).fill(7), bootargs: 'console=ttyS0 quiet' }, 2, 64 * MiB);
    expect(boot.firmware).toBe('sbi');
    expect(boot.a2).toBe(0);
    expect(boot.image.entry).toBe(RAM + 4 * MiB);
    const [kernel, initrd] = boot.image.segments;
    expect([kernel.paddr, kernel.memSize]).toEqual([RAM + 4 * MiB, 8192]);
    expect([initrd.paddr, initrd.data.length]).toEqual([RAM + 4 * MiB + 32 * MiB, 1000]);
    expect(contains(boot.deviceTree, 'console=ttyS0 quiet')).toBe(true);
    expect(contains(boot.deviceTree, 'linux,initrd-start')).toBe(true);
    expect(contains(boot.deviceTree, 'syscon-poweroff')).toBe(true);
    expect(boot.fdtAddress).toBeGreaterThan(initrd.paddr + 1000);
  });

  it('puts the initrd 128 MiB past the kernel in a large RAM', () => {
    const boot = planKernelBoot({ kernel: image(), initrd: new Uint8Array(16) }, 1, 1024 * MiB);
    expect(boot.image.segments[1].paddr).toBe(RAM + 4 * MiB + 128 * MiB);
  });

  it('with --bios FILE: the firmware runs first, a2 points at fw_dynamic_info naming the kernel and S-mode', () => {
    const firmware = buildElf({ entry: RAM, segments: [{ paddr: RAM, data: Array<number>(256).fill(0x13) }] });
    const boot = planKernelBoot({ kernel: image(), bios: firmware }, 1, 64 * MiB);
    expect(boot.firmware).toBe('none');
    expect(boot.image.entry).toBe(RAM);
    const info = boot.image.segments.find((s) => s.paddr === boot.a2)!;
    const words = Array.from({ length: 6 }, (_, i) => new DataView(info.data.buffer).getUint32(4 * i, true));
    expect(words).toEqual([0x4942_534f, 2, RAM + 4 * MiB, 1, 0, 0]);
    expect(boot.a2 + info.data.length).toBeLessThanOrEqual(boot.fdtAddress);
  });

  it('with --bios none: the kernel itself at the start of RAM, entered in M-mode', () => {
    const boot = planKernelBoot({ kernel: image(), bios: 'none' }, 1, 64 * MiB);
    expect([boot.firmware, boot.image.entry, boot.a2]).toEqual(['none', RAM, 0]);
  });

  it('refuses what cannot boot, in one line', () => {
    const refused = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(KernelBootError);
        expect((error as Error).message).not.toContain('\n');
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused(() => planKernelBoot({ kernel: new Uint8Array(100) }, 1, 64 * MiB))).toMatch(/neither a RISC-V Image .* nor an ELF/);
    expect(refused(() => planKernelBoot({ kernel: image(), initrd: new Uint8Array(40 * MiB) }, 1, 64 * MiB))).toMatch(/the initrd .* (does not fit|overlaps the device tree)/);
    expect(refused(() => planKernelBoot({ kernel: image(4096, 80 * MiB) }, 1, 64 * MiB))).toMatch(/the kernel .* does not fit in RAM/);
    expect(refused(() => planKernelBoot({ kernel: image(), bootargs: 'x'.repeat(5000) }, 1, 64 * MiB))).toMatch(/command line is 5000 bytes/);
    expect(refused(() => planKernelBoot({ kernel: image(), bios: new Uint8Array(0) }, 1, 64 * MiB))).toBe('the firmware file is empty');
    expect(refused(() => planKernelBoot({ kernel: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 9]) }, 1, 64 * MiB))).toMatch(/^the kernel is an ELF that cannot be loaded: /);
  });
});

describe('nextKernelImage (a kernel VM updated over the air)', () => {
  const config = (boot: ReturnType<typeof planKernelBoot>) => ({ bootargs: 'console=ttyS0', ...(boot.initrd !== undefined ? { initrd: boot.initrd } : {}) });

  it('lays out the new kernel as the first was, and keeps the initrd the VM booted where its device tree says', () => {
    const first = planKernelBoot({ kernel: image(4096, 8192), initrd: new Uint8Array(1000).fill(7), bootargs: 'console=ttyS0' }, 2, 64 * MiB);
    const next = nextKernelImage(first.image, image(8192, 65536), config(first), 2, 64 * MiB);
    expect(next.entry).toBe(RAM + 4 * MiB);
    const [kernel, initrd] = next.segments;
    expect([kernel.paddr, kernel.memSize]).toEqual([RAM + 4 * MiB, 65536]);
    expect([initrd.paddr, initrd.data]).toEqual([first.initrd!.start, first.image.segments[1].data]);
  });

  it('refuses with one line a file that is no kernel, and an ELF kernel whose entry would move the initrd', () => {
    const first = planKernelBoot({ kernel: image(), initrd: new Uint8Array(16) }, 1, 64 * MiB);
    expect(() => nextKernelImage(first.image, new TextEncoder().encode('not a kernel'), config(first), 1, 64 * MiB)).toThrow(/^the kernel is neither a RISC-V Image .* nor an ELF$/);
    const moved = buildElf({ entry: RAM + 8 * MiB, segments: [{ paddr: RAM + 8 * MiB, data: Array<number>(64).fill(0x13) }] });
    expect(() => nextKernelImage(first.image, moved, config(first), 1, 64 * MiB)).toThrow(KernelBootError);
    expect(() => nextKernelImage(first.image, moved, config(first), 1, 64 * MiB)).toThrow(/would move the initrd from 0x82400000/);
  });
});
