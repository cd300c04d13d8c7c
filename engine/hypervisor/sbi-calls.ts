// The numbers of the RISC-V SBI specification v2.0 that Tessera's built-in SBI serves.

/** Extension IDs (a7). */
export const enum Eid {
  LegacySetTimer = 0x00,
  LegacyPutchar = 0x01,
  LegacyGetchar = 0x02,
  LegacyShutdown = 0x08,
  Base = 0x10,
  Time = 0x5449_4d45,
  Ipi = 0x0073_5049,
  Rfence = 0x5246_4e43,
  Hsm = 0x0048_534d,
  Srst = 0x5352_5354,
  Dbcn = 0x4442_434e,
}

/** Error codes (a0). */
export const enum SbiError {
  Success = 0,
  Failed = -1,
  NotSupported = -2,
  InvalidParam = -3,
  Denied = -4,
  InvalidAddress = -5,
  AlreadyAvailable = -6,
}

/** HSM hart states (hart_get_status). */
export const enum HsmState {
  Started = 0,
  Stopped = 1,
  StartPending = 2,
}

/** v2.0: major 2 in bits 24..30, minor 0. */
export const SBI_SPEC_VERSION = 2 << 24;
/** "TESS": the implementation ID Tessera's SBI reports (guests/firmware reports the same). */
export const SBI_IMPL_ID = 0x5445_5353;
export const SBI_IMPL_VERSION = 1;

/** What probe_extension answers 1 for. */
export const SUPPORTED_EXTENSIONS: ReadonlySet<number> = new Set([
  Eid.LegacySetTimer, Eid.LegacyPutchar, Eid.LegacyGetchar, Eid.LegacyShutdown,
  Eid.Base, Eid.Time, Eid.Ipi, Eid.Rfence, Eid.Hsm, Eid.Srst, Eid.Dbcn,
]);

/**
 * The exceptions the built-in SBI delegates to S-mode: misaligned and faulting accesses, illegal
 * instructions, breakpoints, ecalls from U and page faults (what OpenSBI hands to the kernel).
 */
export const SBI_MEDELEG = 0x1ff | (1 << 12) | (1 << 13) | (1 << 15);
