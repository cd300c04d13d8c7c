/* vm-channel.h: the check a guest makes before it talks to a peer VM over its channels. */
#ifndef VM_CHANNEL_H
#define VM_CHANNEL_H

#include "console.h"
#include "tessera-doorbell.h"
#include "tessera-hv.h"

/* 1 in a Tessera VM with a channel; else prints "NAME: needs a Tessera VM with a channel" and returns 0. */
static inline int vm_has_channel(const char *name)
{
    if (hv_present() && doorbell_channels() != 0)
        return 1;
    printf("%s: needs a Tessera VM with a channel\n", name);
    return 0;
}

#endif
