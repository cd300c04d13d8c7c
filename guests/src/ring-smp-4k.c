/* ring-smp-4k.c: ring-smp with 4 KiB messages, through 64-byte slots (65 a message) and then through 4160-byte large slots. */

#define RING_SMP_4K 1
#define RING_SMP_NAME "ring-smp-4k"
#include "ring-smp.c"
