// The board's device tree blob: read back with a small FDT reader, and decompiled with dtc when installed.

import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildDeviceTree, fdtLoadAddress, ISA_STRING, isaParts } from '../../../engine/loader/device-tree.js';

const MiB = 1024 * 1024;
const board = {
  harts: 2,
  ramBase: 0x8000_0000,
  ramBytes: 256 * MiB,
  isa: 'rv32imac_zicsr_zifencei',
  timebaseHz: 10_000_000,
};

interface FdtNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: FdtNode[];
}

/** Reads the header fields and the node tree of a DTB, checking the framing as it goes. */
function readFdt(blob: Uint8Array) {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const u32 = (at: number): number => view.getUint32(at);
  const header = {
    magic: u32(0),
    totalsize: u32(4),
    offDtStruct: u32(8),
    offDtStrings: u32(12),
    offMemRsvmap: u32(16),
    version: u32(20),
    lastCompVersion: u32(24),
    bootCpuidPhys: u32(28),
    sizeDtStrings: u32(32),
    sizeDtStruct: u32(36),
  };
  const cString = (at: number): string => {
    const end = blob.indexOf(0, at);
    return new TextDecoder().decode(blob.subarray(at, end));
  };
  const align4 = (at: number): number => (at + 3) & ~3;

  const reservations: [bigint, bigint][] = [];
  for (let at = header.offMemRsvmap; ; at += 16) {
    const entry: [bigint, bigint] = [view.getBigUint64(at), view.getBigUint64(at + 8)];
    if (entry[0] === 0n && entry[1] === 0n) break;
    reservations.push(entry);
  }

  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  let at = header.offDtStruct;
  for (;;) {
    const token = u32(at);
    at += 4;
    if (token === 1) {
      const node: FdtNode = { name: cString(at), props: new Map(), children: [] };
      at = align4(at + node.name.length + 1);
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      else root = node;
      stack.push(node);
    } else if (token === 2) {
      stack.pop();
    } else if (token === 3) {
      const length = u32(at);
      const name = cString(header.offDtStrings + u32(at + 4));
      stack[stack.length - 1].props.set(name, blob.slice(at + 8, at + 8 + length));
      at = align4(at + 8 + length);
    } else if (token === 4) {
      // FDT_NOP
    } else if (token === 9) {
      break;
    } else {
      throw new Error(`bad FDT token ${token} at ${at - 4}`);
    }
  }
  if (stack.length !== 0 || !root) throw new Error('unbalanced FDT nodes');
  return { header, reservations, root, structEnd: at };
}

function node(root: FdtNode, path: string): FdtNode {
  let current = root;
  for (const name of path.split('/').filter(Boolean)) {
    const child = current.children.find((c) => c.name === name);
    if (!child) throw new Error(`no node ${path}`);
    current = child;
  }
  return current;
}

function strings(n: FdtNode, prop: string): string[] {
  const value = n.props.get(prop);
  if (!value) throw new Error(`no property ${prop} on ${n.name}`);
  const text = new TextDecoder().decode(value);
  expect(text.endsWith('\0')).toBe(true);
  return text.slice(0, -1).split('\0');
}

function cells(n: FdtNode, prop: string): number[] {
  const value = n.props.get(prop);
  if (!value) throw new Error(`no property ${prop} on ${n.name}`);
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return Array.from({ length: value.length / 4 }, (_, i) => view.getUint32(4 * i));
}

describe('buildDeviceTree', () => {
  const blob = buildDeviceTree(board);
  const { header, reservations, root, structEnd } = readFdt(blob);

  it('frames a version 17 DTB: header, empty reservation map, struct block, strings block', () => {
    expect(header.magic).toBe(0xd00dfeed);
    expect(header.totalsize).toBe(blob.length);
    expect(header.version).toBe(17);
    expect(header.lastCompVersion).toBe(16);
    expect(header.bootCpuidPhys).toBe(0);
    expect(header.offMemRsvmap % 8).toBe(0);
    expect(header.offMemRsvmap).toBeGreaterThanOrEqual(40);
    expect(reservations).toEqual([]);
    expect(header.offDtStruct % 4).toBe(0);
    expect(header.offDtStruct + header.sizeDtStruct).toBe(structEnd);
    expect(header.offDtStrings).toBeGreaterThanOrEqual(structEnd);
    expect(header.offDtStrings + header.sizeDtStrings).toBeLessThanOrEqual(blob.length);
  });

  it('stores each property name once in the strings block', () => {
    const block = blob.subarray(header.offDtStrings, header.offDtStrings + header.sizeDtStrings);
    const names = new TextDecoder().decode(block).split('\0').slice(0, -1);
    expect(new Set(names).size).toBe(names.length);
  });

  it('describes a riscv-virtio board with two-cell addresses and sizes at the root', () => {
    expect(root.name).toBe('');
    expect(cells(root, '#address-cells')).toEqual([2]);
    expect(cells(root, '#size-cells')).toEqual([2]);
    expect(strings(root, 'compatible')).toEqual(['riscv-virtio']);
    expect(strings(root, 'model')).toEqual(['riscv-virtio,qemu']);
    expect(root.children.map((c) => c.name)).toEqual(['chosen', 'poweroff', 'reboot', 'memory@80000000', 'cpus', 'soc']);
  });

  it('points /chosen stdout-path at the UART', () => {
    expect(strings(node(root, 'chosen'), 'stdout-path')).toEqual(['/soc/serial@10000000']);
  });

  it('gives /memory the RAM base and size', () => {
    const memory = node(root, 'memory@80000000');
    expect(strings(memory, 'device_type')).toEqual(['memory']);
    expect(cells(memory, 'reg')).toEqual([0, 0x8000_0000, 0, 0x1000_0000]);
  });

  it('lists one okay riscv cpu per hart, with the ISA string and no MMU', () => {
    const cpus = node(root, 'cpus');
    expect(cells(cpus, '#address-cells')).toEqual([1]);
    expect(cells(cpus, '#size-cells')).toEqual([0]);
    expect(cells(cpus, 'timebase-frequency')).toEqual([10_000_000]);
    expect(cpus.children.map((c) => c.name)).toEqual(['cpu@0', 'cpu@1']);
    cpus.children.forEach((cpu, hart) => {
      expect(strings(cpu, 'device_type')).toEqual(['cpu']);
      expect(cells(cpu, 'reg')).toEqual([hart]);
      expect(strings(cpu, 'status')).toEqual(['okay']);
      expect(strings(cpu, 'compatible')).toEqual(['riscv']);
      expect(strings(cpu, 'riscv,isa')).toEqual(['rv32imac_zicsr_zifencei']);
      expect(strings(cpu, 'riscv,isa-base')).toEqual(['rv32i']);
      expect(strings(cpu, 'riscv,isa-extensions')).toEqual(['i', 'm', 'a', 'c', 'zicsr', 'zifencei']);
      expect(strings(cpu, 'mmu-type')).toEqual(['riscv,sv32']);
    });
  });

  it('gives each cpu an interrupt controller that the CLINT names for its software and timer interrupts', () => {
    const phandles = [0, 1].map((hart) => {
      const intc = node(root, `cpus/cpu@${hart}/interrupt-controller`);
      expect(strings(intc, 'compatible')).toEqual(['riscv,cpu-intc']);
      expect(cells(intc, '#interrupt-cells')).toEqual([1]);
      expect(intc.props.get('interrupt-controller')?.length).toBe(0);
      return cells(intc, 'phandle')[0];
    });
    expect(new Set(phandles).size).toBe(2);
    expect(cells(node(root, 'soc/clint@2000000'), 'interrupts-extended')).toEqual([
      phandles[0], 3, phandles[0], 7,
      phandles[1], 3, phandles[1], 7,
    ]);
  });

  it('leaves the PLIC out for a board without one (a VM today), and the UART without an interrupt parent', () => {
    const { root: bare } = readFdt(buildDeviceTree({ ...board, plic: false }));
    expect(node(bare, 'soc').children.map((c) => c.name)).toEqual(['serial@10000000', 'clint@2000000', 'test@100000']);
    expect(node(bare, 'soc/serial@10000000').props.has('interrupt-parent')).toBe(false);
  });

  it('puts the UART, CLINT and test device on a simple-bus /soc at their addresses', () => {
    const soc = node(root, 'soc');
    expect(cells(soc, '#address-cells')).toEqual([2]);
    expect(cells(soc, '#size-cells')).toEqual([2]);
    expect(strings(soc, 'compatible')).toEqual(['simple-bus']);
    expect(soc.props.get('ranges')?.length).toBe(0);

    const uart = node(root, 'soc/serial@10000000');
    expect(strings(uart, 'compatible')).toEqual(['ns16550a']);
    expect(cells(uart, 'reg')).toEqual([0, 0x1000_0000, 0, 0x100]);
    expect(cells(uart, 'clock-frequency')).toEqual([0x384000]);
    expect(cells(uart, 'interrupts')).toEqual([10]);

    const plic = node(root, 'soc/plic@c000000');
    expect(strings(plic, 'compatible')).toEqual(['sifive,plic-1.0.0', 'riscv,plic0']);
    expect(cells(plic, 'reg')).toEqual([0, 0x0c00_0000, 0, 0x60_0000]);
    expect(cells(plic, 'riscv,ndev')).toEqual([95]);
    expect(cells(uart, 'interrupt-parent')).toEqual(cells(plic, 'phandle'));

    const clint = node(root, 'soc/clint@2000000');
    expect(strings(clint, 'compatible')).toEqual(['sifive,clint0', 'riscv,clint0']);
    expect(cells(clint, 'reg')).toEqual([0, 0x0200_0000, 0, 0x1_0000]);

    const test = node(root, 'soc/test@100000');
    expect(strings(test, 'compatible')).toEqual(['sifive,test1', 'sifive,test0', 'syscon']);
    expect(cells(test, 'reg')).toEqual([0, 0x0010_0000, 0, 0x1000]);
  });

  it('scales /cpus and the CLINT with the hart count', () => {
    const { root: eight } = readFdt(buildDeviceTree({ ...board, harts: 8 }));
    expect(node(eight, 'cpus').children.map((c) => c.name)).toEqual(
      Array.from({ length: 8 }, (_, hart) => `cpu@${hart}`),
    );
    expect(cells(node(eight, 'soc/clint@2000000'), 'interrupts-extended')).toHaveLength(32);
  });

  it('writes a 2 GiB RAM size without losing it to 32-bit arithmetic', () => {
    const { root: big } = readFdt(buildDeviceTree({ ...board, ramBytes: 2048 * MiB }));
    expect(cells(node(big, 'memory@80000000'), 'reg')).toEqual([0, 0x8000_0000, 0, 0x8000_0000]);
  });

  it('rejects a board without harts', () => {
    expect(() => buildDeviceTree({ ...board, harts: 0 })).toThrow(RangeError);
  });
});

describe('fdtLoadAddress', () => {
  it('places the blob at the end of RAM, aligned down to 2 MiB, as QEMU virt does', () => {
    expect(fdtLoadAddress(0x8000_0000, 256 * MiB, 0x1000)).toBe(0x8fe0_0000);
    expect(fdtLoadAddress(0x8000_0000, 128 * MiB, 3 * MiB)).toBe(0x87c0_0000);
    expect(fdtLoadAddress(0x8000_0000, 3 * MiB, 0x1000)).toBe(0x8020_0000);
  });

  it('keeps it below 3 GiB so an RV32 kernel can reach it', () => {
    expect(fdtLoadAddress(0x8000_0000, 2048 * MiB, 0x1000)).toBe(0xbfe0_0000);
  });

  it('puts it at the top of a RAM too small for the 2 MiB alignment, 8-byte aligned, never at the RAM base', () => {
    expect(fdtLoadAddress(0x8000_0000, 1 * MiB, 0x1001)).toBe(0x800f_eff8);
    expect(fdtLoadAddress(0x8000_0000, 2 * MiB, 0x1000)).toBe(0x801f_f000);
    expect(fdtLoadAddress(0x8000_0000, 64 * 1024, 0x1000)).toBe(0x8000_f000);
  });

  it('refuses a blob larger than RAM', () => {
    expect(() => fdtLoadAddress(0x8000_0000, 0x1000, 0x2000)).toThrow(RangeError);
  });
});

const hasDtc = spawnSync('dtc', ['--version']).status === 0;

describe.skipIf(!hasDtc)('buildDeviceTree read by dtc (skipped when device-tree-compiler is not installed)', () => {
  it('decompiles with dtc into the expected nodes and properties', () => {
    const dts = execFileSync('dtc', ['-I', 'dtb', '-O', 'dts', '-q', '-'], {
      input: buildDeviceTree(board),
      encoding: 'utf8',
    });
    const nodeNames = [...dts.matchAll(/^\s*([\w,@-]+) \{$/gm)].map((m) => m[1]);
    expect(nodeNames).toEqual([
      'chosen',
      'poweroff',
      'reboot',
      'memory@80000000',
      'cpus',
      'cpu@0',
      'interrupt-controller',
      'cpu@1',
      'interrupt-controller',
      'soc',
      'plic@c000000',
      'serial@10000000',
      'clint@2000000',
      'test@100000',
    ]);
    expect(dts).toContain('stdout-path = "/soc/serial@10000000";');
    expect(dts).toContain('reg = <0x00 0x80000000 0x00 0x10000000>;');
    expect(dts).toContain('riscv,isa = "rv32imac_zicsr_zifencei";');
    expect(dts).toContain('riscv,isa-extensions = "i\\0m\\0a\\0c\\0zicsr\\0zifencei";');
    expect(dts).toContain('compatible = "sifive,test1\\0sifive,test0\\0syscon";');
  });
});

describe('isaParts', () => {
  it("splits Tessera's riscv,isa into the base and the extensions by name (Sstc among them)", () => {
    expect(isaParts(ISA_STRING)).toEqual({ base: 'rv32i', extensions: ['i', 'm', 'a', 'c', 'zicsr', 'zifencei', 'sstc'] });
  });
});
