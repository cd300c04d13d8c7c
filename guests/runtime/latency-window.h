/* latency-window.h: a periodic task's wake-up latency, gathered by its timer handler and printed by main. */
#ifndef LATENCY_WINDOW_H
#define LATENCY_WINDOW_H

#include <stdint.h>

/* Latencies in mtime ticks over n periods, and the deadlines that passed unserved. */
struct latency_stats {
    uint32_t n, min, max, misses;
    uint64_t sum;
};

/* A finished window on its way from the handler to main, which prints it (never the handler). */
struct latency_report {
    struct latency_stats stats;
    int ready;
};

static inline void latency_reset(struct latency_stats *s)
{
    s->n = s->max = s->misses = 0;
    s->min = 0xffffffffu;
    s->sum = 0;
}

static inline void latency_add(struct latency_stats *s, uint32_t latency, uint32_t missed)
{
    s->n++;
    s->sum += latency;
    if (latency < s->min)
        s->min = latency;
    if (latency > s->max)
        s->max = latency;
    s->misses += missed;
}

/* The average in tenths of a tick, rounded, in integer arithmetic (0 over no periods). */
static inline uint64_t latency_avg_tenths(const struct latency_stats *s)
{
    return s->n ? (s->sum * 10 + s->n / 2) / s->n : 0;
}

/* From the handler: hands the window to main and starts the next one. */
static inline void latency_hand_over(volatile struct latency_report *r, struct latency_stats *window)
{
    r->stats.n = window->n;
    r->stats.min = window->min;
    r->stats.max = window->max;
    r->stats.misses = window->misses;
    r->stats.sum = window->sum;
    r->ready = 1;
    latency_reset(window);
}

/* From main: 1 and the window the handler finished, if there is one (the next comes a window later). */
static inline int latency_take(volatile struct latency_report *r, struct latency_stats *out)
{
    if (!r->ready)
        return 0;
    *out = (struct latency_stats){ r->stats.n, r->stats.min, r->stats.max, r->stats.misses, r->stats.sum };
    r->ready = 0;
    return 1;
}

#endif
