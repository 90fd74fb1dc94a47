#include <stdio.h>
int main(void) { puts("iom " IOM_VERSION); return 0; }
