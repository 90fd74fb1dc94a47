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

/* After a large piece of work in a long-running process (a dataset import, a picture export
   or analysis in `iom serve`): the heap's free memory goes back to the system when more than
   64 MiB of it is free, so that the server's memory falls back after its peak instead of
   staying there; below that nothing is done (malloc_trim walks the heap: after every small
   analysis of a page that asks for several it would be work for nothing). No error. */
void iom_heap_give_back(void);

#endif
