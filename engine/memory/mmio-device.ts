// The contract every memory-mapped device implements; the bus dispatches by address range.

/** Access width in bytes. */
export type AccessSize = 1 | 2 | 4;

export interface MmioDevice {
  /** Short name for messages, e.g. "uart". */
  readonly name: string;
  /**
   * Reads `size` bytes at `offset` from the device base. Returns the zero-extended value,
   * or `undefined` when the device does not decode that access (the hart raises an access fault).
   */
  read(offset: number, size: AccessSize): number | undefined;
  /** Writes the low `size` bytes of `value`; returns false when the access is not decoded. */
  write(offset: number, size: AccessSize, value: number): boolean;
  /**
   * True when a write at `offset` only stores a value (it can raise no interrupt and change no other
   * state), so the hart need not end its time slice after it. Absent: every write ends the slice.
   */
  plainStore?(offset: number): boolean;
}
