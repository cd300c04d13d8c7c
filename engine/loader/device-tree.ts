// The flattened device tree (DTB v17) that describes the modelled board, shaped like QEMU virt's.

import {
  CLINT_BASE,
  CLINT_SIZE,
  PLIC_BASE,
  PLIC_SIZE,
  TEST_DEVICE_BASE,
  TEST_DEVICE_SIZE,
  UART_BASE,
  UART_IRQ,
  UART_SIZE,
} from '../memory/memory-map.js';

/** What Tessera's harts implement, as riscv,isa names it (Sstc: S-mode's own timer compare, stimecmp). */
export const ISA_STRING = 'rv32imac_zicsr_zifencei_sstc';

/** "rv32imac_zicsr_sstc" as riscv,isa-base ("rv32i") and riscv,isa-extensions (i, m, a, c, zicsr, sstc). */
export function isaParts(isa: string): { base: string; extensions: string[] } {
  const [single, ...multi] = isa.toLowerCase().split('_');
  const width = single.slice(0, 4); // rv32 or rv64
  return { base: `${width}i`, extensions: [...single.slice(4)].concat(multi.filter((m) => m.length > 0)) };
}

export interface DeviceTreeOptions {
  harts: number;
  ramBase: number;
  ramBytes: number;
  /** The riscv,isa string, e.g. ISA_STRING. */
  isa: string;
  /** mtime ticks per second (10 MHz on QEMU virt). */
  timebaseHz: number;
  /** Whether the board has a PLIC (default true, as QEMU virt). */
  plic?: boolean;
  /** The kernel command line (/chosen bootargs), as QEMU's -append puts it. */
  bootargs?: string;
  /** Where an initrd was loaded (/chosen linux,initrd-start and -end, end exclusive). */
  initrd?: { start: number; end: number };
  /**
   * Regions a kernel's user programs reach through Linux's uio_pdrv_genirq driver
   * (`uio_pdrv_genirq.of_id=generic-uio`): each a "generic-uio" node, with its PLIC source if any.
   */
  uio?: readonly UioRegion[];
}

export interface UioRegion {
  /** The node's name (its unit address is added): what /sys/class/uio/uioN/name reads. */
  name: string;
  base: number;
  size: number;
  /** PLIC source of the region's interrupt (a doorbell). */
  irq?: number;
}

/** The UART input clock QEMU virt advertises (3.6864 MHz). */
const UART_CLOCK_HZ = 0x384000;
/** Local interrupt numbers the CLINT drives on each hart's interrupt controller. */
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;
/** Interrupt sources of QEMU virt's PLIC, counting the reserved source 0. */
const PLIC_SOURCES = 96;

const MiB = 1024 * 1024;

export function buildDeviceTree(opts: DeviceTreeOptions): Uint8Array {
  if (!Number.isInteger(opts.harts) || opts.harts < 1) {
    throw new RangeError(`a device tree needs at least one hart, got ${opts.harts}`);
  }
  const fdt = new FdtWriter();
  const intcPhandle = (hart: number): number => hart + 1;
  const uartNode = `serial@${UART_BASE.toString(16)}`;

  fdt.beginNode('');
  fdt.cells('#address-cells', 2);
  fdt.cells('#size-cells', 2);
  fdt.strings('compatible', 'riscv-virtio');
  fdt.strings('model', 'riscv-virtio,qemu');

  fdt.beginNode('chosen');
  if (opts.bootargs !== undefined) fdt.strings('bootargs', opts.bootargs);
  if (opts.initrd !== undefined) {
    fdt.cells('linux,initrd-start', ...wide(opts.initrd.start));
    fdt.cells('linux,initrd-end', ...wide(opts.initrd.end));
  }
  fdt.strings('stdout-path', `/soc/${uartNode}`);
  fdt.endNode();

  // Linux powers the board off and reboots it through the test device, as on QEMU virt.
  const testPhandle = opts.harts + 2;
  for (const [node, value] of [['poweroff', 0x5555], ['reboot', 0x7777]] as const) {
    fdt.beginNode(node);
    fdt.strings('compatible', `syscon-${node}`);
    fdt.cells('regmap', testPhandle);
    fdt.cells('offset', 0);
    fdt.cells('value', value);
    fdt.endNode();
  }

  fdt.beginNode(`memory@${opts.ramBase.toString(16)}`);
  fdt.strings('device_type', 'memory');
  fdt.cells('reg', ...wide(opts.ramBase), ...wide(opts.ramBytes));
  fdt.endNode();

  fdt.beginNode('cpus');
  fdt.cells('#address-cells', 1);
  fdt.cells('#size-cells', 0);
  fdt.cells('timebase-frequency', opts.timebaseHz);
  for (let hart = 0; hart < opts.harts; hart++) {
    fdt.beginNode(`cpu@${hart}`);
    fdt.strings('device_type', 'cpu');
    fdt.cells('reg', hart);
    fdt.strings('status', 'okay');
    fdt.strings('compatible', 'riscv');
    fdt.strings('riscv,isa', opts.isa);
    // The newer binding, as QEMU 8+ writes it beside riscv,isa: the base, then every extension by name.
    const { base, extensions } = isaParts(opts.isa);
    fdt.strings('riscv,isa-base', base);
    fdt.strings('riscv,isa-extensions', ...extensions);
    fdt.strings('mmu-type', 'riscv,sv32');
    // Firmware such as OpenSBI finds which harts the CLINT serves through these controllers.
    fdt.beginNode('interrupt-controller');
    fdt.cells('#interrupt-cells', 1);
    fdt.empty('interrupt-controller');
    fdt.strings('compatible', 'riscv,cpu-intc');
    fdt.cells('phandle', intcPhandle(hart));
    fdt.endNode();
    fdt.endNode();
  }
  fdt.endNode();

  fdt.beginNode('soc');
  fdt.cells('#address-cells', 2);
  fdt.cells('#size-cells', 2);
  fdt.strings('compatible', 'simple-bus');
  fdt.empty('ranges');

  const plicPhandle = opts.harts + 1;
  const hasPlic = opts.plic ?? true;
  if (hasPlic) {
    fdt.beginNode(`plic@${PLIC_BASE.toString(16)}`);
    fdt.strings('compatible', 'sifive,plic-1.0.0', 'riscv,plic0');
    fdt.cells('reg', ...wide(PLIC_BASE), ...wide(PLIC_SIZE));
    fdt.cells('#address-cells', 0);
    fdt.cells('#interrupt-cells', 1);
    fdt.empty('interrupt-controller');
    fdt.cells('riscv,ndev', PLIC_SOURCES - 1);
    // Context 2h is hart h's M-mode external interrupt, 2h+1 its S-mode one, as on QEMU virt.
    fdt.cells('interrupts-extended', ...Array.from({ length: opts.harts }, (_, hart) => [intcPhandle(hart), IRQ_M_EXT, intcPhandle(hart), IRQ_S_EXT]).flat());
    fdt.cells('phandle', plicPhandle);
    fdt.endNode();
  }

  fdt.beginNode(uartNode);
  fdt.strings('compatible', 'ns16550a');
  fdt.cells('reg', ...wide(UART_BASE), ...wide(UART_SIZE));
  fdt.cells('clock-frequency', UART_CLOCK_HZ);
  fdt.cells('interrupts', UART_IRQ);
  if (hasPlic) fdt.cells('interrupt-parent', plicPhandle);
  fdt.endNode();

  for (const region of opts.uio ?? []) {
    fdt.beginNode(`${region.name}@${region.base.toString(16)}`);
    fdt.strings('compatible', 'generic-uio');
    fdt.cells('reg', ...wide(region.base), ...wide(region.size));
    if (region.irq !== undefined && hasPlic) {
      fdt.cells('interrupts', region.irq);
      fdt.cells('interrupt-parent', plicPhandle);
    }
    fdt.endNode();
  }

  fdt.beginNode(`clint@${CLINT_BASE.toString(16)}`);
  fdt.strings('compatible', 'sifive,clint0', 'riscv,clint0');
  fdt.cells('reg', ...wide(CLINT_BASE), ...wide(CLINT_SIZE));
  const perHart = Array.from({ length: opts.harts }, (_, hart) => [
    intcPhandle(hart),
    IRQ_M_SOFT,
    intcPhandle(hart),
    IRQ_M_TIMER,
  ]);
  fdt.cells('interrupts-extended', ...perHart.flat());
  fdt.endNode();

  fdt.beginNode(`test@${TEST_DEVICE_BASE.toString(16)}`);
  fdt.strings('compatible', 'sifive,test1', 'sifive,test0', 'syscon');
  fdt.cells('reg', ...wide(TEST_DEVICE_BASE), ...wide(TEST_DEVICE_SIZE));
  fdt.cells('phandle', testPhandle);
  fdt.endNode();

  fdt.endNode(); // soc
  fdt.endNode(); // root
  return fdt.finish();
}

/**
 * Where QEMU virt puts the blob: as high as possible so a kernel or initrd does not overwrite
 * it, below 3 GiB so an RV32 kernel can reach it, aligned down to 2 MiB. In a RAM too small for
 * that alignment to land above its base (where the program starts), QEMU would overlap the
 * program; here the blob goes to the top of RAM aligned to 8 bytes (the FDT minimum) instead.
 */
export function fdtLoadAddress(ramBase: number, ramBytes: number, blobSize: number): number {
  const ramEnd = ramBase + ramBytes;
  const top = ramBase < 3072 * MiB ? Math.min(ramEnd, 3072 * MiB) : ramEnd;
  const aligned = alignDown(top - blobSize, 2 * MiB);
  if (aligned > ramBase) return aligned;
  const packed = alignDown(top - blobSize, 8);
  if (packed >= ramBase) return packed;
  throw new RangeError(
    `device tree of ${blobSize} bytes does not fit in RAM at 0x${ramBase.toString(16)} (${ramBytes} bytes)`,
  );
}

function alignDown(value: number, alignment: number): number {
  // Not `&`: addresses at or above 2 GiB would turn negative as int32.
  return Math.floor(value / alignment) * alignment;
}

/** A value as two 32-bit cells, high first (#address-cells = #size-cells = 2). */
function wide(value: number): [number, number] {
  return [Math.floor(value / 2 ** 32), value >>> 0];
}

const FDT_MAGIC = 0xd00dfeed;
const FDT_VERSION = 17;
const FDT_LAST_COMPATIBLE_VERSION = 16;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const HEADER_BYTES = 40;
/** One all-zero entry: an empty memory reservation map. */
const RESERVE_MAP_BYTES = 16;

/** Writes the structure and strings blocks of a DTB and frames them with the header. */
class FdtWriter {
  private readonly struct: number[] = [];
  private readonly stringBytes: number[] = [];
  private readonly stringOffsets = new Map<string, number>();
  private readonly encoder = new TextEncoder();

  beginNode(name: string): void {
    this.word(FDT_BEGIN_NODE);
    this.bytes(this.encoder.encode(`${name}\0`));
  }

  endNode(): void {
    this.word(FDT_END_NODE);
  }

  cells(name: string, ...values: number[]): void {
    const value = new Uint8Array(4 * values.length);
    const view = new DataView(value.buffer);
    values.forEach((v, i) => view.setUint32(4 * i, v >>> 0));
    this.property(name, value);
  }

  /** A string, or a string list when given several. */
  strings(name: string, ...values: string[]): void {
    this.property(name, this.encoder.encode(values.map((v) => `${v}\0`).join('')));
  }

  empty(name: string): void {
    this.property(name, new Uint8Array(0));
  }

  finish(): Uint8Array {
    this.word(FDT_END);
    const structOffset = HEADER_BYTES + RESERVE_MAP_BYTES;
    const stringsOffset = structOffset + this.struct.length;
    const total = stringsOffset + this.stringBytes.length;
    const blob = new Uint8Array(total);
    blob.set(this.struct, structOffset);
    blob.set(this.stringBytes, stringsOffset);
    const header = new DataView(blob.buffer);
    const fields = [
      FDT_MAGIC,
      total,
      structOffset,
      stringsOffset,
      HEADER_BYTES, // the reservation map follows the header
      FDT_VERSION,
      FDT_LAST_COMPATIBLE_VERSION,
      0, // boot_cpuid_phys
      this.stringBytes.length,
      this.struct.length,
    ];
    fields.forEach((v, i) => header.setUint32(4 * i, v));
    return blob;
  }

  private property(name: string, value: Uint8Array): void {
    this.word(FDT_PROP);
    this.word(value.length);
    this.word(this.nameOffset(name));
    this.bytes(value);
  }

  private nameOffset(name: string): number {
    let offset = this.stringOffsets.get(name);
    if (offset === undefined) {
      offset = this.stringBytes.length;
      this.stringOffsets.set(name, offset);
      this.stringBytes.push(...this.encoder.encode(`${name}\0`));
    }
    return offset;
  }

  private word(value: number): void {
    this.struct.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  }

  /** Appends bytes and pads to the next 4-byte boundary, as every struct token must start on one. */
  private bytes(data: Uint8Array): void {
    this.struct.push(...data);
    while (this.struct.length % 4 !== 0) this.struct.push(0);
  }
}
