// Contracts the shared-memory structures assume (one writer at a time, a vCPU run only by the core
// that claimed it) are checked where that costs next to nothing; a broken one is always counted, and
// thrown as an error when checks are on (tests, TESSERA_CHECKS=1), so it cannot pass unnoticed.

let checking = false;

/** Turns the checks on or off in this thread (each worker sets it from the system's layout). */
export function setContractChecks(on: boolean): void {
  checking = on;
}

export function contractChecks(): boolean {
  return checking;
}

/** Reports a broken contract: an Error when checks are on (after the caller has counted it). */
export function contractBroken(what: string): void {
  if (checking) throw new Error(`contract broken: ${what}`);
}
