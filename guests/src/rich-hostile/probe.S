/* probe.S: rich-hostile's one-instruction probes and trap entry are hostile's (the handler is hostile_trap in scan.c). */
#include "../hostile/probe.S"
