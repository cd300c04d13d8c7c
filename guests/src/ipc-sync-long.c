/* ipc-sync-long.c: ipc-sync with 100,000,000 calls and a progress line every 10,000: a client that outlasts an update. */

#define IPC_ROUNDS 100000000u
#define IPC_PROGRESS 10000u
#include "ipc-sync.c"
