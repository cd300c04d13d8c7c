/* pin-v2.c: the PIN service, version 2 (the firmware-over-the-air update image): the same protocol, it only says it is version 2. */

#define PIN_VERSION 2
#include "pin.c"
