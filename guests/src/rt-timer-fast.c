/* rt-timer-fast.c: the reference real-time task with a 100 us period for 100,000 periods (bench:latency). */

#define RT_PERIOD_TICKS 1000u
#define RT_PERIODS 100000u
#include "rt-timer/main.c"
