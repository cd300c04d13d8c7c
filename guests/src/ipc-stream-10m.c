/* ipc-stream-10m.c: ipc-stream with 10,000,000 messages (mixed lengths, every payload different): the zero-loss test. */

#define IPC_MESSAGES 10000000u
#include "ipc-stream.c"
