/* bench.c as bench-sv32 runs it: in S-mode (main.c calls it), reading instret instead of minstret. */
#define CSR_USER_COUNTERS
#define main bench_main
#include "../bench.c"
