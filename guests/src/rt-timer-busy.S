/* rt-timer-busy.S: the same trap entry as rt-timer. */
#include "rt-timer/entry.S"
