// The guest-physical map of the modelled board, compatible with QEMU's `virt` machine.

export const TEST_DEVICE_BASE = 0x0010_0000;
export const TEST_DEVICE_SIZE = 0x1000;

export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0x1_0000;

/**
 * Tessera's hypervisor-services device (devices/hv-services.ts), mapped in VMs only. QEMU virt gives
 * 0x0400_0000..0x05ff_ffff to a platform bus that holds no device on a plain board.
 */
export const HV_SERVICES_BASE = 0x0400_0000;
export const HV_SERVICES_SIZE = 0x1000;

export const PLIC_BASE = 0x0c00_0000;
export const PLIC_SIZE = 0x60_0000;

export const UART_BASE = 0x1000_0000;
export const UART_SIZE = 0x100;
/** The UART's PLIC interrupt source, as on QEMU virt (also in every VM). */
export const UART_IRQ = 10;

export const RAM_BASE = 0x8000_0000;

/** Page size used for decode caches and page flags; also the guest link granule. */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Largest RAM that fits between RAM_BASE and the top of the 32-bit space. */
export const MAX_RAM_BYTES = 0x8000_0000;
export const DEFAULT_RAM_BYTES = 256 * 1024 * 1024;

/** Per-VM doorbell device of the inter-VM channels. */
export const DOORBELL_BASE = 0x0410_0000;
export const DOORBELL_SIZE = 0x1000;
