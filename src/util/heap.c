/* Process-wide heap settings (heap.h). */
#include "util/heap.h"

#include <malloc.h>

void iom_heap_tune(void)
{
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}
