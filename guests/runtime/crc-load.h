/* crc-load.h: the CPU load of cpu-hog and rich: a reflected IEEE CRC32 (no final xor) over a buffer of LCG bytes. */
#ifndef CRC_LOAD_H
#define CRC_LOAD_H

#include <stdint.h>

/* Fills the 256-entry table and the buffer (bytes from the LCG x = x * 1664525 + 1013904223, top byte). */
static inline void crc_load_setup(uint32_t table[256], uint8_t *buf, uint32_t bytes)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t lcg = 1;
    for (uint32_t i = 0; i < bytes; i++) {
        lcg = lcg * 1664525u + 1013904223u;
        buf[i] = (uint8_t)(lcg >> 24);
    }
}

/* Continues crc over n bytes. */
static inline uint32_t crc_load_block(const uint32_t table[256], uint32_t crc, const uint8_t *p, uint32_t n)
{
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

#endif
