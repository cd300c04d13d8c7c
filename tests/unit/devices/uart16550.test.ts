// The NS16550A against its register map: THR/RBR, DLAB, IER/IIR, FCR, LCR, MCR, LSR, MSR, SCR.

import { describe, expect, it } from 'vitest';
import { Uart16550, UartState } from '../../../engine/devices/uart16550.js';

const RBR = 0;
const THR = 0;
const DLL = 0;
const IER = 1;
const DLM = 1;
const IIR = 2;
const FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

function uart(opts: { outputBytes?: number; inputBytes?: number; txWaitMs?: number } = {}) {
  const state = UartState.create(opts);
  const device = new Uart16550(state, { txWaitMs: opts.txWaitMs ?? 0 });
  const read = (offset: number): number | undefined => device.read(offset, 1);
  const write = (offset: number, value: number): boolean => device.write(offset, 1, value);
  return { state, device, read, write };
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('Uart16550 transmit and receive', () => {
  it('THR write queues the byte on the output ring for the host', () => {
    const { state, write } = uart();
    for (const c of 'hi\n') write(THR, c.charCodeAt(0));
    expect(text(state.output.drain())).toBe('hi\n');
  });

  it('RBR read takes the next byte the host queued, and 0 once none is left', () => {
    const { state, read } = uart();
    state.input.pushBytes(new TextEncoder().encode('ok'));
    expect([read(RBR), read(RBR), read(RBR)]).toEqual([0x6f, 0x6b, 0]);
  });

  it('LSR reports data ready once a byte is queued', () => {
    const { state, read } = uart();
    expect(read(LSR)! & 0x01).toBe(0);
    state.input.tryPush(0x41);
    expect(read(LSR)! & 0x01).toBe(1);
    read(RBR);
    expect(read(LSR)! & 0x01).toBe(0);
  });

  it('LSR always reports the transmitter empty (THRE and TEMT)', () => {
    const { read, write } = uart();
    expect(read(LSR)).toBe(0x60);
    write(THR, 0x41);
    expect(read(LSR)).toBe(0x60);
  });

  it('a THR write waits for the host to drain a full output ring, then drops and counts the byte', () => {
    const { state, write } = uart({ outputBytes: 2, txWaitMs: 5 });
    for (const b of [1, 2, 3]) expect(write(THR, b)).toBe(true);
    expect([...state.output.drain()]).toEqual([1, 2]);
    expect(state.droppedOutput).toBe(1);
  });
});

describe('Uart16550 divisor latch', () => {
  it('resets the divisor to 0x000c (9600 baud), as QEMU does', () => {
    const { read, write } = uart();
    write(LCR, 0x80);
    expect([read(DLL), read(DLM)]).toEqual([0x0c, 0x00]);
  });

  it('DLAB (LCR bit 7) switches offsets 0 and 1 to DLL and DLM', () => {
    const { state, read, write } = uart();
    write(IER, 0x05);
    write(LCR, 0x83);
    write(DLL, 0x01);
    write(DLM, 0x02);
    expect([read(DLL), read(DLM)]).toEqual([0x01, 0x02]);
    expect(state.output.size).toBe(0);

    write(LCR, 0x03);
    expect(read(IER)).toBe(0x05);
    write(LCR, 0x83);
    expect([read(DLL), read(DLM)]).toEqual([0x01, 0x02]);
  });

  it('with DLAB set, offset 0 reads the latch instead of consuming input', () => {
    const { state, read, write } = uart();
    state.input.tryPush(0x41);
    write(LCR, 0x80);
    read(RBR);
    expect(state.input.size).toBe(1);
  });
});

describe('Uart16550 interrupts', () => {
  it('IER keeps only its low four bits', () => {
    const { read, write } = uart();
    write(IER, 0xff);
    expect(read(IER)).toBe(0x0f);
  });

  it('IIR reads 0x01 (no interrupt pending) when IER enables nothing', () => {
    const { state, read } = uart();
    state.input.tryPush(0x41);
    expect(read(IIR)).toBe(0x01);
  });

  it('IIR reports received data available (0x04) while RDI is enabled and input waits', () => {
    const { state, read, write } = uart();
    write(IER, 0x01);
    expect(read(IIR)).toBe(0x01);
    state.input.tryPush(0x41);
    expect(read(IIR)).toBe(0x04);
    read(RBR);
    expect(read(IIR)).toBe(0x01);
  });

  it('IIR reports THR empty (0x02) when THRI is enabled, and reading it acknowledges', () => {
    const { read, write } = uart();
    write(IER, 0x02);
    expect(read(IIR)).toBe(0x02);
    expect(read(IIR)).toBe(0x01);
  });

  it('a THR write latches the THR-empty interrupt again once the byte has gone', () => {
    const { read, write } = uart();
    write(IER, 0x02);
    read(IIR);
    write(THR, 0x41);
    expect(read(IIR)).toBe(0x02);
  });

  it('rewriting IER with THRI already enabled does not re-raise THR empty', () => {
    const { read, write } = uart();
    write(IER, 0x02);
    read(IIR);
    write(IER, 0x03);
    expect(read(IIR)).toBe(0x01);
  });

  it('received data takes priority over THR empty', () => {
    const { state, read, write } = uart();
    write(IER, 0x03);
    state.input.tryPush(0x41);
    expect(read(IIR)).toBe(0x04);
    read(RBR);
    expect(read(IIR)).toBe(0x02);
  });

  it('IIR carries the FIFO-enabled bits 0xC0 once FCR enables the FIFOs', () => {
    const { read, write } = uart();
    write(FCR, 0x07);
    expect(read(IIR)).toBe(0xc1);
    write(IER, 0x02);
    expect(read(IIR)).toBe(0xc2);
    write(FCR, 0x00);
    expect(read(IIR)).toBe(0x01);
  });

  it('clearing the receive FIFO through FCR keeps input the host typed ahead', () => {
    const { state, write } = uart();
    state.input.tryPush(0x41);
    write(FCR, 0x07);
    expect(state.input.size).toBe(1);
  });

  it('interruptPending follows IIR without acknowledging THR empty', () => {
    const { device, read, write } = uart();
    expect(device.interruptPending()).toBe(false);
    write(IER, 0x02);
    expect(device.interruptPending()).toBe(true);
    expect(device.interruptPending()).toBe(true);
    read(IIR);
    expect(device.interruptPending()).toBe(false);
  });
});

describe('Uart16550 control, status and scratch registers', () => {
  it('LCR and SCR read back what was written; MCR keeps its five defined bits', () => {
    const { read, write } = uart();
    write(LCR, 0x1b);
    write(SCR, 0xa5);
    write(MCR, 0xff);
    expect([read(LCR), read(SCR), read(MCR)]).toEqual([0x1b, 0xa5, 0x1f]);
  });

  it('resets MCR to OUT2 (0x08), as QEMU does', () => {
    expect(uart().read(MCR)).toBe(0x08);
  });

  it('MSR reports carrier, DSR and CTS asserted; LSR and MSR ignore writes', () => {
    const { read, write } = uart();
    expect(read(MSR)).toBe(0xb0);
    expect(write(MSR, 0x00)).toBe(true);
    expect(write(LSR, 0x00)).toBe(true);
    expect([read(MSR), read(LSR)]).toEqual([0xb0, 0x60]);
  });

  it('loopback (MCR bit 4) turns THR bytes into input and mirrors MCR in MSR', () => {
    const { state, read, write } = uart();
    write(MCR, 0x10 | 0x0f);
    write(THR, 0x5a);
    expect(state.output.size).toBe(0);
    expect(read(LSR)! & 0x01).toBe(1);
    expect(read(RBR)).toBe(0x5a);
    expect(read(MSR)).toBe(0xf0);
  });

  it('reset restores the register reset values and keeps queued bytes', () => {
    const { state, read, write } = uart();
    write(IER, 0x0f);
    write(SCR, 0x11);
    write(LCR, 0x83);
    state.input.tryPush(0x41);
    state.reset();
    expect([read(IER), read(LCR), read(MCR), read(SCR)]).toEqual([0, 0, 0x08, 0]);
    expect(state.input.size).toBe(1);
  });
});

describe('Uart16550 access widths (QEMU serial_mm, regshift 0)', () => {
  it('a wider read returns the register at its offset, zero-extended', () => {
    const { device, write } = uart();
    write(SCR, 0xee);
    write(MCR, 0x03);
    expect(device.read(4, 4)).toBe(0x03);
    expect(device.read(6, 2)).toBe(0xb0);
    expect(device.read(5, 1)).toBe(0x60);
  });

  it('a wider write stores its low byte to the register at its offset', () => {
    const { state, device, read } = uart();
    expect(device.write(0, 4, 0x1234_5641)).toBe(true);
    expect([...state.output.drain()]).toEqual([0x41]);
    expect(device.write(4, 4, 0xffff_ff01)).toBe(true);
    expect(read(MCR)).toBe(0x01);
  });

  it('offsets 8 and above and misaligned accesses are not decoded', () => {
    const { device } = uart();
    expect(device.read(8, 1)).toBeUndefined();
    expect(device.write(0xff, 1, 0)).toBe(false);
    expect(device.read(2, 4)).toBeUndefined();
    expect(device.write(1, 2, 0)).toBe(false);
  });
});

describe('UartState sharing', () => {
  it('a device built from the cloned buffers shares registers and rings with the original', () => {
    const original = uart();
    const buffers = structuredClone(original.state.buffers);
    const other = new Uart16550(UartState.attach(buffers));
    original.write(SCR, 0x77);
    expect(other.read(SCR, 1)).toBe(0x77);
    other.write(THR, 1, 0x42);
    expect([...original.state.output.drain()]).toEqual([0x42]);
    original.state.input.tryPush(0x43);
    expect(other.read(RBR, 1)).toBe(0x43);
  });
});
