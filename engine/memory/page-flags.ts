// Per-page flags over physical memory, shared by every core, that send a store to the slow path.

/** Some hart holds decoded instructions of this page: stores invalidate its decode cache. */
export const PAGE_DECODED = 1;
/** An LR reservation may cover this page: stores must break reservations. */
export const PAGE_RESERVED = 2;
/** The platform watches stores here (HTIF tohost). */
export const PAGE_WATCHED = 4;
