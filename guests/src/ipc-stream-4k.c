/* ipc-stream-4k.c: ipc-stream with 100,000 messages of exactly 4 KiB (64-byte slots, 65 per message) and one payload, for bench:ipc. */

#define IPC_MESSAGES 100000u
#define IPC_MSG_FIXED 4096u
#define IPC_FIXED_PAYLOAD 1
#include "ipc-stream.c"
