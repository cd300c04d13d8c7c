/* Lets Linux 6.1's nolibc build for rv32 (ilp32), where the kernel offers only
 * the 64-bit-time system calls. nolibc 6.1 compiles every wrapper and stops on
 * the time32-era numbers rv32 lacks; those are mapped to an out-of-range
 * number, so calling them returns -ENOSYS. The init never calls them: it uses
 * clock_gettime64, clock_nanosleep_time64 and waitid directly (see init.c). */
#ifndef TESSERA_NOLIBC_RV32_H
#define TESSERA_NOLIBC_RV32_H

#include <asm/unistd.h>

#define TESSERA_NR_ABSENT (-1)

#ifndef __NR_gettimeofday
#define __NR_gettimeofday TESSERA_NR_ABSENT
#endif
#ifndef __NR_lseek
#define __NR_lseek TESSERA_NR_ABSENT
#endif
#ifndef __NR_ppoll
#define __NR_poll TESSERA_NR_ABSENT
#endif
#ifndef __NR_pselect6
#define __NR_select TESSERA_NR_ABSENT
#endif
#ifndef __NR_newfstatat
#define __NR_newfstatat TESSERA_NR_ABSENT
#endif
#ifndef __NR_wait4
#define __NR_wait4 TESSERA_NR_ABSENT
#endif

#include <nolibc.h>

#endif
