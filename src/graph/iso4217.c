/*
 * ISO 4217 currency codes as data: alphabetic code, numeric code, decimal places of the minor
 * unit. The active list (List One), without the entries that are not money transfers can be
 * made in (precious metals XAU XAG XPD XPT, bond-market units XBA-XBD, XDR, XSU, XUA, the
 * testing code XTS and XXX "no currency"), plus codes withdrawn since 2008 that still appear
 * in historic statements, marked withdrawn. Sorted by code for the binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/finance.h"

static const fin_currency table[] = {
    {"AED", 784, 2, false}, {"AFN", 971, 2, false}, {"ALL", 8, 2, false},
    {"AMD", 51, 2, false},  {"ANG", 532, 2, true}, {"AOA", 973, 2, false},
    {"ARS", 32, 2, false},  {"AUD", 36, 2, false},  {"AWG", 533, 2, false},
    {"AZN", 944, 2, false}, {"BAM", 977, 2, false}, {"BBD", 52, 2, false},
    {"BDT", 50, 2, false},  {"BGN", 975, 2, false}, {"BHD", 48, 3, false},
    {"BIF", 108, 0, false}, {"BMD", 60, 2, false},  {"BND", 96, 2, false},
    {"BOB", 68, 2, false},  {"BOV", 984, 2, false}, {"BRL", 986, 2, false},
    {"BSD", 44, 2, false},  {"BTN", 64, 2, false},  {"BWP", 72, 2, false},
    {"BYN", 933, 2, false}, {"BYR", 974, 0, true},  {"BZD", 84, 2, false},
    {"CAD", 124, 2, false}, {"CDF", 976, 2, false}, {"CHE", 947, 2, false},
    {"CHF", 756, 2, false}, {"CHW", 948, 2, false}, {"CLF", 990, 4, false},
    {"CLP", 152, 0, false}, {"CNY", 156, 2, false}, {"COP", 170, 2, false},
    {"COU", 970, 2, false}, {"CRC", 188, 2, false}, {"CUC", 931, 2, true},
    {"CUP", 192, 2, false}, {"CVE", 132, 2, false}, {"CZK", 203, 2, false},
    {"DJF", 262, 0, false}, {"DKK", 208, 2, false}, {"DOP", 214, 2, false},
    {"DZD", 12, 2, false},  {"EEK", 233, 2, true},  {"EGP", 818, 2, false},
    {"ERN", 232, 2, false}, {"ETB", 230, 2, false}, {"EUR", 978, 2, false},
    {"FJD", 242, 2, false}, {"FKP", 238, 2, false}, {"GBP", 826, 2, false},
    {"GEL", 981, 2, false}, {"GHS", 936, 2, false}, {"GIP", 292, 2, false},
    {"GMD", 270, 2, false}, {"GNF", 324, 0, false}, {"GTQ", 320, 2, false},
    {"GYD", 328, 2, false}, {"HKD", 344, 2, false}, {"HNL", 340, 2, false},
    {"HRK", 191, 2, true},  {"HTG", 332, 2, false}, {"HUF", 348, 2, false},
    {"IDR", 360, 2, false}, {"ILS", 376, 2, false}, {"INR", 356, 2, false},
    {"IQD", 368, 3, false}, {"IRR", 364, 2, false}, {"ISK", 352, 0, false},
    {"JMD", 388, 2, false}, {"JOD", 400, 3, false}, {"JPY", 392, 0, false},
    {"KES", 404, 2, false}, {"KGS", 417, 2, false}, {"KHR", 116, 2, false},
    {"KMF", 174, 0, false}, {"KPW", 408, 2, false}, {"KRW", 410, 0, false},
    {"KWD", 414, 3, false}, {"KYD", 136, 2, false}, {"KZT", 398, 2, false},
    {"LAK", 418, 2, false}, {"LBP", 422, 2, false}, {"LKR", 144, 2, false},
    {"LRD", 430, 2, false}, {"LSL", 426, 2, false}, {"LTL", 440, 2, true},
    {"LVL", 428, 2, true},  {"LYD", 434, 3, false}, {"MAD", 504, 2, false},
    {"MDL", 498, 2, false}, {"MGA", 969, 2, false}, {"MKD", 807, 2, false},
    {"MMK", 104, 2, false}, {"MNT", 496, 2, false}, {"MOP", 446, 2, false},
    {"MRO", 478, 2, true},  {"MRU", 929, 2, false}, {"MUR", 480, 2, false},
    {"MVR", 462, 2, false}, {"MWK", 454, 2, false}, {"MXN", 484, 2, false},
    {"MXV", 979, 2, false}, {"MYR", 458, 2, false}, {"MZN", 943, 2, false},
    {"NAD", 516, 2, false}, {"NGN", 566, 2, false}, {"NIO", 558, 2, false},
    {"NOK", 578, 2, false}, {"NPR", 524, 2, false}, {"NZD", 554, 2, false},
    {"OMR", 512, 3, false}, {"PAB", 590, 2, false}, {"PEN", 604, 2, false},
    {"PGK", 598, 2, false}, {"PHP", 608, 2, false}, {"PKR", 586, 2, false},
    {"PLN", 985, 2, false}, {"PYG", 600, 0, false}, {"QAR", 634, 2, false},
    {"RON", 946, 2, false}, {"RSD", 941, 2, false}, {"RUB", 643, 2, false},
    {"RWF", 646, 0, false}, {"SAR", 682, 2, false}, {"SBD", 90, 2, false},
    {"SCR", 690, 2, false}, {"SDG", 938, 2, false}, {"SEK", 752, 2, false},
    {"SGD", 702, 2, false}, {"SHP", 654, 2, false}, {"SKK", 703, 2, true},
    {"SLE", 925, 2, false}, {"SLL", 694, 2, true},  {"SOS", 706, 2, false},
    {"SRD", 968, 2, false}, {"SSP", 728, 2, false}, {"STD", 678, 2, true},
    {"STN", 930, 2, false}, {"SVC", 222, 2, false}, {"SYP", 760, 2, false},
    {"SZL", 748, 2, false}, {"THB", 764, 2, false}, {"TJS", 972, 2, false},
    {"TMT", 934, 2, false}, {"TND", 788, 3, false}, {"TOP", 776, 2, false},
    {"TRY", 949, 2, false}, {"TTD", 780, 2, false}, {"TWD", 901, 2, false},
    {"TZS", 834, 2, false}, {"UAH", 980, 2, false}, {"UGX", 800, 0, false},
    {"USD", 840, 2, false}, {"USN", 997, 2, false}, {"UYI", 940, 0, false},
    {"UYU", 858, 2, false}, {"UYW", 927, 4, false}, {"UZS", 860, 2, false},
    {"VED", 926, 2, false}, {"VEF", 937, 2, true},  {"VES", 928, 2, false},
    {"VND", 704, 0, false}, {"VUV", 548, 0, false}, {"WST", 882, 2, false},
    {"XAF", 950, 0, false}, {"XCD", 951, 2, false}, {"XCG", 532, 2, false},
    {"XOF", 952, 0, false}, {"XPF", 953, 0, false}, {"YER", 886, 2, false},
    {"ZAR", 710, 2, false}, {"ZMK", 894, 2, true},  {"ZMW", 967, 2, false},
    {"ZWG", 924, 2, false}, {"ZWL", 932, 2, true},
};

#define NCUR (sizeof table / sizeof table[0])

static int cmp_code(const void *k, const void *ent)
{
    return strcmp((const char *)k, ((const fin_currency *)ent)->code);
}

const fin_currency *fin_currency_find(const char *code)
{
    if (!code || strlen(code) != 3)
        return NULL;
    return bsearch(code, table, NCUR, sizeof table[0], cmp_code);
}

size_t fin_currency_count(void) { return NCUR; }

const fin_currency *fin_currency_at(size_t i) { return i < NCUR ? &table[i] : NULL; }
