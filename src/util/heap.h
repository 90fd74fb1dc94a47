/*
 * heap.h: process-wide heap settings of iom. Call iom_heap_tune() once at the start of a
 * process that runs use-cases (the iom binary's main, the benchmarks that time the use-case
 * layer, so they measure what iom runs).
 */
#ifndef IOM_UTIL_HEAP_H
#define IOM_UTIL_HEAP_H

/* Keeps freed heap for reuse instead of returning it to the OS after every statement: SQLite's
   per-statement allocations otherwise cost a brk / page-fault / TLB shoot-down round trip each
   (measured by bench/lifecycle, docs/performance.md); blocks under 32 MiB come from the heap
   too, so the conflation engine's repeated large temporaries reuse memory instead of being
   mapped and page-faulted anew (docs/performance.md, "Conflate"). No error: glibc ignores
   what it cannot set. */
void iom_heap_tune(void);

#endif
