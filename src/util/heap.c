/* Process-wide heap settings (heap.h). */
#include "util/heap.h"

#include <malloc.h>

void iom_heap_tune(void)
{
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    /* setting either of the above stops glibc from raising its mmap threshold as it goes, so
       every block of 128 KiB or more would be a fresh mmap, page-faulted and zeroed anew each
       time (iom conflate at 1,000,000 records: 2.9 GB mapped for a peak of 1.05 GB, 365,000
       page faults); 32 MiB is the ceiling glibc's own adjustment would reach */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

void iom_heap_give_back(void)
{
    struct mallinfo2 mi = mallinfo2();
    if (mi.fordblks > (size_t)64 << 20)
        malloc_trim(0);
}
