/* ipc-sync-v2.c: ipc-sync whose server says it is version 2: the new firmware of the update tests. */

#define IPC_SERVER_VERSION 2
#include "ipc-sync.c"
