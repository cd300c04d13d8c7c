/* ipc-stream-64.c: ipc-stream with 1,000,000 messages of exactly 64 bytes (128-byte slots) and one payload, for bench:ipc. */

#define IPC_MESSAGES 1000000u
#define IPC_MSG_FIXED 64u
#define IPC_FIXED_PAYLOAD 1
#define IPC_SLOT 128u
#include "ipc-stream.c"
