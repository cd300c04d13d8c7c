/* hash.h: the guests' small hashes: a 32-bit mixer for test data and FNV-1a for end-to-end checksums. */
#ifndef HASH_H
#define HASH_H

#include <stdint.h>

/* A well-mixed 32-bit function of x: message lengths and contents, pseudo-random choices. */
static inline uint32_t mix32(uint32_t x)
{
    x *= 0x9e3779b1u;
    x ^= x >> 15;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    return x;
}

/* FNV-1a, 32 bits: start from FNV1A_START and continue over words (each taken whole) or bytes. */
#define FNV1A_START 2166136261u
#define FNV1A_PRIME 16777619u

static inline uint32_t fnv1a_words(uint32_t h, const uint32_t *w, uint32_t n)
{
    while (n--)
        h = (h ^ *w++) * FNV1A_PRIME;
    return h;
}

static inline uint32_t fnv1a_bytes(uint32_t h, const uint8_t *p, uint32_t n)
{
    while (n--)
        h = (h ^ *p++) * FNV1A_PRIME;
    return h;
}

#endif
