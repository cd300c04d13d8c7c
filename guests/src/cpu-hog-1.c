/* cpu-hog-1.c: cpu-hog that ends after one round (about 100 M instructions): a deterministic load for the scaling scenarios. */

#define CPU_HOG_ROUNDS 1
#include "cpu-hog.c"
