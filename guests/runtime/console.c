/* console.c: NS16550A UART driver (polled transmit) and a minimal printf. */
#include <stdarg.h>
#include <stdint.h>
#include "console.h"

#define UART_THR 0      /* transmit holding register (write) */
#define UART_LSR 5      /* line status register */
#define LSR_THRE 0x20   /* transmit holding register empty */

int putchar(int c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while (!(uart[UART_LSR] & LSR_THRE))
        ;
    uart[UART_THR] = (uint8_t)c;
    return (uint8_t)c;
}

int puts(const char *s)
{
    while (*s)
        putchar(*s++);
    putchar('\n');
    return 0;
}

/* Emit digits of v in the given base, padded to width with pad; returns characters written. */
static int put_number(uint64_t v, unsigned base, int upper, int negative, int width, char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0, out = 0;
    while (v > 0xffffffffu) {   /* 64-bit part: libgcc division */
        buf[n++] = digits[v % base];
        v /= base;
    }
    uint32_t w = (uint32_t)v;   /* the rest in 32-bit arithmetic */
    do {
        buf[n++] = digits[w % base];
        w /= base;
    } while (w);
    int len = n + (negative ? 1 : 0);
    if (negative && pad == '0') {
        putchar('-');
        out++;
    }
    for (; len < width; len++, out++)
        putchar(pad);
    if (negative && pad != '0') {
        putchar('-');
        out++;
    }
    while (n)
        putchar(buf[--n]), out++;
    return out;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int out = 0;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            out++;
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0, left = 0;
        for (;; fmt++) {
            if (*fmt == '0')
                pad = '0';
            else if (*fmt == '-')
                left = 1;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = longs >= 2 ? va_arg(ap, int64_t) : (int64_t)va_arg(ap, int32_t);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            out += put_number(mag, 10, 0, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = longs >= 2 ? va_arg(ap, uint64_t) : (uint64_t)va_arg(ap, uint32_t);
            out += put_number(v, *fmt == 'u' ? 10 : 16, *fmt == 'X', 0, width, pad);
            break;
        }
        case 'p':
            out += put_number((uintptr_t)va_arg(ap, void *), 16, 0, 0, 8, '0');
            break;
        case 'c':
            putchar((char)va_arg(ap, int));
            out++;
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            if (!s)
                s = "(null)";
            while (s[len])
                len++;
            for (; !left && len < width; width--, out++)
                putchar(' ');
            while (*s)
                putchar(*s++), out++;
            for (; left && len < width; width--, out++)
                putchar(' ');
            break;
        }
        case '%':
            putchar('%');
            out++;
            break;
        case '\0':
            fmt--;  /* trailing '%': stop at the terminator */
            break;
        default:    /* unknown conversion: print it verbatim */
            putchar('%');
            putchar(*fmt);
            out += 2;
            break;
        }
    }
    va_end(ap);
    return out;
}
