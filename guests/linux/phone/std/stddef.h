/* stddef.h for programs built with Linux 6.1's nolibc: see stdint.h. */
#include <std.h>
