/* ipc-stream-1m.c: ipc-stream with 1,000,000 messages, for bench:ipc. */

#define IPC_MESSAGES 1000000u
#include "ipc-stream.c"
