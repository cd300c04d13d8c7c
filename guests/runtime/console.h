/* console.h: polled NS16550A UART output at 0x10000000 and a small deterministic printf. */
#ifndef CONSOLE_H
#define CONSOLE_H

#define UART_BASE 0x10000000u

int putchar(int c);
int puts(const char *s);        /* writes s and a newline */
/* Supports %d %i %u %x %X %c %s %p %% with optional '0' flag, width ('-' left-justifies %s) and 'l'/'ll' length (64-bit with ll). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
