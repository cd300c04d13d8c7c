// What every VM's guest-physical map already holds, so a channel window can be kept clear of it.

import {
  CLINT_BASE,
  CLINT_SIZE,
  DOORBELL_BASE,
  DOORBELL_SIZE,
  HV_SERVICES_BASE,
  HV_SERVICES_SIZE,
  PLIC_BASE,
  PLIC_SIZE,
  RAM_BASE,
  TEST_DEVICE_BASE,
  TEST_DEVICE_SIZE,
  UART_BASE,
  UART_SIZE,
} from '../memory/memory-map.js';

export interface GuestRange {
  /** As an error message names it: "overlaps the CLINT (…)". */
  name: string;
  base: number;
  size: number;
}

/** The devices mapped in every VM, in address order; the VM's RAM follows at RAM_BASE. */
export const GUEST_DEVICES: readonly GuestRange[] = [
  { name: 'test device', base: TEST_DEVICE_BASE, size: TEST_DEVICE_SIZE },
  { name: 'CLINT', base: CLINT_BASE, size: CLINT_SIZE },
  { name: 'hypervisor-services device', base: HV_SERVICES_BASE, size: HV_SERVICES_SIZE },
  { name: 'doorbell device', base: DOORBELL_BASE, size: DOORBELL_SIZE },
  { name: 'PLIC', base: PLIC_BASE, size: PLIC_SIZE },
  { name: 'UART', base: UART_BASE, size: UART_SIZE },
];

/** The VM's RAM: RAM_BASE .. RAM_BASE + ramBytes. */
export function guestRam(ramBytes: number): GuestRange {
  return { name: "VM's RAM", base: RAM_BASE, size: ramBytes };
}

export { UART_IRQ } from '../memory/memory-map.js';

/** Windows end at or below the top of the 32-bit guest-physical space. */
export const ADDRESS_SPACE_END = 2 ** 32;
