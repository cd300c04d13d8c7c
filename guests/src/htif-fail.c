/* htif-fail.c: htif-pass reporting failure code 3, by storing (3 << 1) | 1 to tohost. */

#define HTIF_CODE 3
#define HTIF_LINE "htif-fail: tohost <- 7 (fail code 3)"
#include "htif-pass.c"
