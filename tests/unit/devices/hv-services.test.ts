// The hypervisor-services device against its ABI (guests/README.md): each register, argument checks, widths.

import { describe, expect, it } from 'vitest';
import {
  HV_SERVICES_MAGIC,
  HV_STATUS_EINVAL,
  HvServices,
  HvServicesRegister as R,
  type HvStatusCell,
} from '../../../engine/devices/hv-services.js';
import type { AccessSize } from '../../../engine/memory/mmio-device.js';

function services(vm = { id: 3, name: 'rtos', vcpus: 2 }, vcpu = 1, status?: HvStatusCell) {
  const calls: string[] = [];
  const device = new HvServices(
    vm,
    vcpu,
    {
      onYield: () => calls.push('yield'),
      onWatchdogKick: () => calls.push('kick'),
      onReady: (code) => calls.push(`ready ${code}`),
      onConsole: (byte) => calls.push(`console ${byte}`),
    },
    status,
  );
  return { device, calls };
}

const status = (device: HvServices) => device.read(R.Status, 4)! | 0;

/** The NAME window read as the guest does: eight words, bytes in little-endian order, up to the first NUL. */
function readName(device: HvServices): string {
  const bytes: number[] = [];
  for (let off = 0; off < 32; off += 4) {
    const word = device.read(R.Name + off, 4)!;
    bytes.push(word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24);
  }
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(new Uint8Array(end < 0 ? bytes : bytes.slice(0, end)));
}

describe('HvServices identity registers', () => {
  it('MAGIC reads 0x56485354, "TSHV" in little-endian byte order', () => {
    const { device } = services();
    expect(device.read(R.Magic, 4)).toBe(HV_SERVICES_MAGIC);
    const m = device.read(R.Magic, 4)!;
    expect(String.fromCharCode(m & 0xff, (m >>> 8) & 0xff, (m >>> 16) & 0xff, m >>> 24)).toBe('TSHV');
  });

  it('VERSION reads 2 (synchronous IPC)', () => {
    expect(services().device.read(R.Version, 4)).toBe(2);
  });

  it('VM_ID, VCPU_ID and VCPU_COUNT read the VM and the accessing vCPU', () => {
    const { device } = services({ id: 7, name: 'linux', vcpus: 4 }, 2);
    expect([device.read(R.VmId, 4), device.read(R.VcpuId, 4), device.read(R.VcpuCount, 4)]).toEqual([7, 2, 4]);
    const other = services({ id: 7, name: 'linux', vcpus: 4 }, 0).device;
    expect(other.read(R.VcpuId, 4)).toBe(0);
  });

  it('VM_ID is unsigned up to 0xffffffff', () => {
    expect(services({ id: 0xffff_ffff, name: 'x', vcpus: 1 }, 0).device.read(R.VmId, 4)).toBe(0xffff_ffff);
  });

  it('NAME holds the VM name in little-endian words, NUL-padded to 32 bytes', () => {
    const { device } = services({ id: 0, name: 'rtos', vcpus: 1 }, 0);
    expect(device.read(R.Name, 4)).toBe(0x736f_7472); // 'r' 't' 'o' 's'
    expect(device.read(R.Name + 4, 4)).toBe(0);
    expect(device.read(R.Name + 28, 4)).toBe(0);
    expect(readName(device)).toBe('rtos');
  });

  it('a 32-byte name fills the window with no NUL', () => {
    const name = 'a234567890123456789012345678901z';
    const { device } = services({ id: 0, name, vcpus: 1 }, 0);
    expect(readName(device)).toBe(name);
    expect(device.read(R.Name + 28, 4)! >>> 24).toBe('z'.charCodeAt(0));
  });

  it('STATUS starts at 0', () => {
    expect(status(services().device)).toBe(0);
  });
});

describe('HvServices write registers', () => {
  it('YIELD with any value calls onYield and sets STATUS 0', () => {
    const { device, calls } = services();
    expect(device.write(R.Yield, 4, 0)).toBe(true);
    expect(device.write(R.Yield, 4, 0xffff_ffff)).toBe(true);
    expect(calls).toEqual(['yield', 'yield']);
    expect(status(device)).toBe(0);
  });

  it('WATCHDOG_KICK with any value calls onWatchdogKick', () => {
    const { device, calls } = services();
    expect(device.write(R.WatchdogKick, 4, 0x1234_5678)).toBe(true);
    expect(calls).toEqual(['kick']);
    expect(status(device)).toBe(0);
  });

  it('READY passes codes 0..255 to onReady', () => {
    const { device, calls } = services();
    device.write(R.Ready, 4, 0);
    device.write(R.Ready, 4, 255);
    expect(calls).toEqual(['ready 0', 'ready 255']);
    expect(status(device)).toBe(0);
  });

  it('CONSOLE passes bytes 0..255 to onConsole', () => {
    const { device, calls } = services();
    device.write(R.Console, 4, 0x41);
    device.write(R.Console, 4, 0xff);
    expect(calls).toEqual(['console 65', 'console 255']);
    expect(status(device)).toBe(0);
  });
});

describe('HvServices argument checks', () => {
  const bad: [string, number, number][] = [
    ['READY 256', R.Ready, 256],
    ['READY 300', R.Ready, 300],
    ['READY -1 (0xffffffff)', R.Ready, -1],
    ['READY 0x80000000', R.Ready, 0x8000_0000],
    ['CONSOLE 0x100', R.Console, 0x100],
    ['CONSOLE 0x1234', R.Console, 0x1234],
    ['CONSOLE 0xffffffff', R.Console, 0xffff_ffff],
  ];
  for (const [what, offset, value] of bad) {
    it(`${what} completes the store, sets STATUS -22 and calls no handler`, () => {
      const { device, calls } = services();
      expect(device.write(offset, 4, value)).toBe(true);
      expect(status(device)).toBe(HV_STATUS_EINVAL);
      expect(device.read(R.Status, 4)).toBe(0xffff_ffea); // -22 as the guest's 32-bit word
      expect(calls).toEqual([]);
    });
  }

  it('STATUS reflects the last write only: a good write after a bad one clears it', () => {
    const { device } = services();
    device.write(R.Ready, 4, 300);
    expect(status(device)).toBe(-22);
    device.write(R.Yield, 4, 0);
    expect(status(device)).toBe(0);
    device.write(R.Console, 4, 0x1234);
    device.write(R.WatchdogKick, 4, 0);
    expect(status(device)).toBe(0);
  });

  it('STATUS belongs to the vCPU: another vCPU of the same VM keeps its own', () => {
    const vm = { id: 1, name: 'smp', vcpus: 2 };
    const a = services(vm, 0).device;
    const b = services(vm, 1).device;
    a.write(R.Ready, 4, 999);
    expect([status(a), status(b)]).toEqual([-22, 0]);
  });

  it('STATUS can live in a cell the hypervisor owns', () => {
    const cell = { value: 0 };
    const { device } = services(undefined, 0, cell);
    device.write(R.Console, 4, 0x1234);
    expect(cell.value).toBe(-22);
    cell.value = 0;
    expect(status(device)).toBe(0);
  });
});

describe('HvServices access faults', () => {
  const sizes: AccessSize[] = [1, 2];
  for (const size of sizes) {
    it(`${size}-byte reads and writes fault, also on defined registers`, () => {
      const { device, calls } = services();
      expect(device.read(R.Magic, size)).toBeUndefined();
      expect(device.read(R.Name, size)).toBeUndefined();
      expect(device.write(R.Yield, size, 0)).toBe(false);
      expect(device.write(R.Console, size, 0x41)).toBe(false);
      expect(calls).toEqual([]);
    });
  }

  it('misaligned 4-byte accesses fault', () => {
    const { device, calls } = services();
    for (const off of [1, 2, 3, R.Yield + 2, R.Name + 1]) {
      expect(device.read(off, 4)).toBeUndefined();
      expect(device.write(off, 4, 0)).toBe(false);
    }
    expect(calls).toEqual([]);
  });

  it('offsets between and after the registers fault', () => {
    const { device } = services();
    for (const off of [0x014, 0x018, 0x01c, 0x034, 0x054, 0x05c, 0x080, 0x0fc, 0x120, 0x200, 0xffc, 0x1000, -4]) {
      expect(device.read(off, 4)).toBeUndefined();
      expect(device.write(off, 4, 0)).toBe(false);
    }
  });

  it('writes to read-only registers and reads of write-only registers fault', () => {
    const { device, calls } = services();
    for (const off of [R.Magic, R.Version, R.VmId, R.VcpuId, R.VcpuCount, R.Status, R.Name, R.Name + 28]) {
      expect(device.write(off, 4, 0)).toBe(false);
    }
    for (const off of [R.Yield, R.WatchdogKick, R.Ready, R.Console]) {
      expect(device.read(off, 4)).toBeUndefined();
    }
    expect(calls).toEqual([]);
  });

  it('a faulting access leaves STATUS alone', () => {
    const { device } = services();
    device.write(R.Ready, 4, 300);
    device.write(R.Ready, 2, 1);
    device.write(R.Magic, 4, 0);
    expect(status(device)).toBe(-22);
  });
});

describe('HvServices configuration', () => {
  it('refuses a vCPU outside the VM, a name over 32 bytes or with NUL, a bad id or vCPU count', () => {
    const h = { onYield() {}, onWatchdogKick() {}, onReady() {}, onConsole() {} };
    expect(() => new HvServices({ id: 0, name: 'a', vcpus: 2 }, 2, h)).toThrow(RangeError);
    expect(() => new HvServices({ id: 0, name: 'a', vcpus: 2 }, -1, h)).toThrow(RangeError);
    expect(() => new HvServices({ id: 0, name: 'x'.repeat(33), vcpus: 1 }, 0, h)).toThrow(/32 bytes/);
    expect(() => new HvServices({ id: 0, name: 'a\0b', vcpus: 1 }, 0, h)).toThrow(RangeError);
    expect(() => new HvServices({ id: -1, name: 'a', vcpus: 1 }, 0, h)).toThrow(RangeError);
    expect(() => new HvServices({ id: 0, name: 'a', vcpus: 0 }, 0, h)).toThrow(RangeError);
  });
});

describe('HvServices synchronous IPC registers', () => {
  function withIpc() {
    const ops: [number, number][] = [];
    const mrs = new Array<number>(8).fill(0);
    let length = 0;
    const cell = { value: 0 };
    const device = new HvServices({ id: 1, name: 'rich', vcpus: 1 }, 0, {
      onYield: () => {}, onWatchdogKick: () => {}, onReady: () => {}, onConsole: () => {},
      ipc: {
        register: (i) => mrs[i],
        setRegister: (i, v) => { mrs[i] = v; },
        length: () => length,
        setLength: (n) => (n <= 8 ? ((length = n), true) : false),
        operate: (op, channel) => { ops.push([op, channel]); cell.value = -11; },
      },
    }, cell);
    return { device, ops, mrs, cell };
  }

  it('the eight message registers are read-write storage that neither sets STATUS nor ends the slice', () => {
    const { device, mrs, cell } = withIpc();
    cell.value = 5;
    for (let i = 0; i < 8; i++) expect(device.write(R.IpcRegisters + 4 * i, 4, 0x8000_0000 + i)).toBe(true);
    expect(mrs[7]).toBe(0x8000_0007);
    expect(device.read(R.IpcRegisters + 28, 4)).toBe(0x8000_0007);
    expect(cell.value).toBe(5);
    expect(device.plainStore(R.IpcRegisters + 28)).toBe(true);
    expect(device.plainStore(R.IpcLength)).toBe(true);
    expect(device.plainStore(R.IpcSend)).toBe(false);
    expect(device.read(R.IpcRegisters + 32, 4)).toBeUndefined();
  });

  it('IPC_LEN takes 0..8 and refuses 9 with -22', () => {
    const { device, cell } = withIpc();
    expect(device.write(R.IpcLength, 4, 8)).toBe(true);
    expect([device.read(R.IpcLength, 4), cell.value]).toEqual([8, 0]);
    expect(device.write(R.IpcLength, 4, 9)).toBe(true);
    expect([device.read(R.IpcLength, 4), cell.value]).toEqual([8, HV_STATUS_EINVAL]);
  });

  it('SEND, RECV, CALL and REPLY hand op 0..3 and the channel to the hypervisor, which sets STATUS', () => {
    const { device, ops, cell } = withIpc();
    [R.IpcSend, R.IpcRecv, R.IpcCall, R.IpcReply].forEach((reg, op) => expect(device.write(reg, 4, op + 4)).toBe(true));
    expect(ops).toEqual([[0, 4], [1, 5], [2, 6], [3, 7]]);
    expect(cell.value).toBe(-11);
    expect(device.read(R.IpcSend, 4)).toBeUndefined(); // write-only
  });

  it('without the hypervisor\'s IPC the registers are not decoded', () => {
    const { device } = services();
    for (const off of [R.IpcSend, R.IpcLength, R.IpcRegisters]) {
      expect(device.read(off, 4)).toBeUndefined();
      expect(device.write(off, 4, 0)).toBe(false);
    }
  });
});
