/*
 * The `iom` binary loads libpq, libmicrohttpd and libigraph only when a command needs them
 * (src/util/dynlib.h): its ELF file names none of them as a needed library, so a CLI command
 * starts without loading the ~45 libraries they bring (docs/performance.md, "Starting the CLI").
 * Read from the built files (iom and its test twin iom-pgmap), not by running them; the
 * trampolines themselves run in every test that starts `iom serve`, a network analysis or (in
 * the PostgreSQL run) any command.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The DT_NEEDED names of a 64-bit ELF file, joined by '\n' (caller frees). */
static char *needed_of(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size > (long)sizeof(Elf64_Ehdr));
    rewind(f);
    unsigned char *img = malloc((size_t)size);
    assert_non_null(img);
    assert_int_equal(fread(img, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    assert_memory_equal(eh->e_ident, ELFMAG, SELFMAG);
    assert_int_equal(eh->e_ident[EI_CLASS], ELFCLASS64);
    assert_true(eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) <= (uint64_t)size);
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
    size_t cap = 4096, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    int dynamic_sections = 0;
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNAMIC)
            continue;
        dynamic_sections++;
        assert_true(sh[i].sh_link < eh->e_shnum);
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        assert_true(sh[i].sh_offset + sh[i].sh_size <= (uint64_t)size);
        assert_true(strs->sh_offset + strs->sh_size <= (uint64_t)size);
        const Elf64_Dyn *d = (const Elf64_Dyn *)(img + sh[i].sh_offset);
        for (size_t k = 0; k < sh[i].sh_size / sizeof *d && d[k].d_tag != DT_NULL; k++) {
            if (d[k].d_tag != DT_NEEDED)
                continue;
            assert_true(d[k].d_un.d_val < strs->sh_size);
            const char *name = (const char *)img + strs->sh_offset + d[k].d_un.d_val;
            size_t n = strnlen(name, strs->sh_size - d[k].d_un.d_val);
            assert_true(len + n + 2 < cap);
            memcpy(out + len, name, n);
            len += n;
            out[len++] = '\n';
        }
    }
    assert_int_equal(dynamic_sections, 1);
    free(img);
    return out;
}

static void check(const char *binary)
{
    char *needed = needed_of(binary);
    /* the file was read right: the libraries every command uses are there */
    assert_non_null(strstr(needed, "libsqlite3.so"));
    assert_non_null(strstr(needed, "libsodium.so"));
    assert_non_null(strstr(needed, "libjansson.so"));
    static const char *const lazy[] = {"libpq.so", "libmicrohttpd.so", "libigraph.so"};
    for (size_t i = 0; i < sizeof lazy / sizeof lazy[0]; i++)
        if (strstr(needed, lazy[i]))
            fail_msg("%s needs %s at start (it must be loaded on first use): needed:\n%s", binary,
                     lazy[i], needed);
    free(needed);
}

static void iom_loads_the_heavy_libraries_on_demand(void **state)
{
    (void)state;
    check(IOM_BINARY);
    char pgmap[4096];
    snprintf(pgmap, sizeof pgmap, "%s", IOM_BINARY);
    char *slash = strrchr(pgmap, '/');
    assert_non_null(slash);
    snprintf(slash + 1, sizeof pgmap - (size_t)(slash + 1 - pgmap), "iom-pgmap");
    check(pgmap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iom_loads_the_heavy_libraries_on_demand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
