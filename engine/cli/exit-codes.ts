// Process exit codes of `tessera` that are not the guest's own verdict.

export const EXIT_USAGE = 2;
/**
 * Bad input, nothing run or nothing changed: the guest or scenario file could not be read or loaded
 * (missing, not a regular file, too large, not a RISC-V ELF, does not fit), an output file cannot be
 * written, a control socket path is taken, or a running system refused a command.
 */
export const EXIT_BAD_INPUT = 3;
/** Stopped by --timeout or --max-instructions before the guest ended. */
export const EXIT_LIMIT = 124;
/** The emulated machine failed: a trap loop, every hart waiting forever, or a crashed worker. */
export const EXIT_MACHINE_FAILURE = 125;
/** `tessera update|wipe|vm`: no running system answered on the control socket, or not with a valid answer. */
export const EXIT_NO_SYSTEM = 4;
