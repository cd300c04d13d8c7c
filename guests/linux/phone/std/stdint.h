/* stdint.h for programs built with Linux 6.1's nolibc: nolibc's std.h already declares these types
   (differently from gcc's own header, which would clash), so the shared headers in guests/include
   get nolibc's. */
#include <std.h>
