/* entry.S: baseband's trap entry is rt-timer's (mtime sampled on its third instruction, then rt_trap in C). */
#include "../rt-timer/entry.S"
