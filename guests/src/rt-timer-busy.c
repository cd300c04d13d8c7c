/* rt-timer-busy.c: the reference real-time task, never sleeping: its timer must interrupt a running loop. */

#define RT_BUSY
#define RT_PERIOD_TICKS 1000u
#define RT_PERIODS 1000u
#include "rt-timer/main.c"
