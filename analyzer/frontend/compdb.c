/*
 * compdb.c - reads a JSON compilation database (compile_commands.json) into
 * project jobs, and cleans each entry's compiler arguments for libclang.
 *
 * Nothing in the database is executed: "command" strings are only split
 * into words the way sh would, and arguments are only filtered.  Entries
 * that do not compile C are skipped, and so are all but one build of a
 * file the database compiles several times (libtool: PIC and not;
 * choose_builds says which build is kept and why).
 *
 * A relative "directory" is taken against the folder holding the database
 * (so a fixture can ship a portable database with "directory": "."), and
 * "file" against "directory"; both come out absolute with symlinked folders
 * resolved, like the project root.  An entry compiles C when its -x says c,
 * or, without -x, when its file ends in .c and its compiler is not a C++
 * driver (g++ compiles a .c file as C++).
 *
 * cJSON keeps no positions, so the offsets of the array's elements are
 * found by a light scan of the (already validated) text; errors about an
 * entry name its line and column.
 *
 * Memory: the jobs' strings belong to the project; everything else here is
 * freed before returning.
 */
#define _XOPEN_SOURCE 700
#include "frontend/project.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/hash.h"
#include "util/strmap.h"

typedef struct offsets {
    size_t *v, n, cap;
} offsets;

/* ---- splitting "command" strings ---------------------------------------- */

int project_split_command(const char *cmd, strvec *out) {
    struct { char *v; size_t n, cap; } w = {0};
    int inword = 0, rc = 0;
    const char *s = cmd;
    while (*s) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (inword) {
                VEC_PUSH(w, '\0');
                strvec_push(out, w.v);
                w.n = 0;
                inword = 0;
            }
            s++;
        } else if (c == '\\') {
            s++;
            if (*s == '\n') { /* line continuation */
                s++;
                continue;
            }
            inword = 1;
            /* a lone trailing backslash stays literal */
            VEC_PUSH(w, *s ? *s++ : '\\');
        } else if (c == '\'') {
            inword = 1;
            s++;
            while (*s && *s != '\'') VEC_PUSH(w, *s++);
            if (!*s) {
                rc = -1;
                goto cleanup;
            }
            s++;
        } else if (c == '"') {
            inword = 1;
            s++;
            while (*s && *s != '"') {
                /* inside double quotes a backslash only escapes these */
                if (*s == '\\' && s[1] && strchr("$`\"\\\n", s[1])) {
                    s++;
                    if (*s == '\n') {
                        s++;
                        continue;
                    }
                }
                VEC_PUSH(w, *s++);
            }
            if (!*s) {
                rc = -1;
                goto cleanup;
            }
            s++;
        } else {
            inword = 1;
            VEC_PUSH(w, *s++);
        }
    }
    if (inword) {
        VEC_PUSH(w, '\0');
        strvec_push(out, w.v);
    }
cleanup:
    free(w.v);
    return rc;
}

/* ---- cleaning arguments ------------------------------------------------- */

/*
 * The allow-list.  A compile command is written by whoever wrote the
 * build, and clang's driver options can write files (-MF, -dependency-
 * file through -Xclang, --write-dependencies, -fmodules-cache-path,
 * -ftime-trace, -fcrash-diagnostics-dir), read them (--config, -include
 * anywhere, -ivfsoverlay, -include-pch, -fprofile-use=) or load code
 * (-fplugin=, -load), and new ones come with every release.  So only what
 * changes how the code parses is passed on; each entry below was checked
 * with clang 14 to change the predefined macros (`clang -dM -E`), the
 * language accepted or the layout of types:
 *  - macros and the language: -D -U -std= -ansi -x -undef -trigraphs
 *    -traditional-cpp;
 *  - include search, confined to the readable folders (project.h): -I
 *    -isystem -iquote -idirafter -include -imacros --sysroot -isysroot, and
 *    -nostdinc -nostdlibinc -nobuiltininc, which only narrow it;
 *  - the target, which sets type sizes and the macros code tests:
 *    -target --target= -m16 -m32 -m64 -mx32 -march= -mcpu= -mabi= -mfpu=
 *    -mfloat-abi= -mcmodel= -mlong-double-*, -mthumb -marm -mbig-endian
 *    -mlittle-endian, and the instruction-set switches -m[no-]sse4.2,
 *    -mavx2, ... (__SSE4_2__, __AVX2__);
 *  - options that define macros: -O, -O0..-O3, -Os, -Oz, -Og, -Ofast
 *    (__OPTIMIZE__, which turns on glibc's inline wrappers under
 *    _FORTIFY_SOURCE), -f[no-]pic/PIC/pie/PIE (__PIC__), -fstack-protector*
 *    (__SSP__), -pthread (_REENTRANT), -ffast-math, -ffinite-math-only,
 *    -f[no-]math-errno, -fexceptions, -fcf-protection, -fopenmp,
 *    -fgnuc-version=, -fno-inline;
 *  - dialect: -f[no-]signed-char, -f[no-]unsigned-char, -f[no-]gnu89-inline,
 *    -f[no-]short-wchar, -f[no-]short-enums, -ffreestanding, -fhosted,
 *    -f[no-]builtin, -fno-builtin-FUNC, -f[no-]blocks, -f[no-]ms-extensions,
 *    -f[no-]ms-compatibility, -f[no-]declspec, -f[no-]asm,
 *    -f[no-]gnu-keywords, -f[no-]dollars-in-identifiers.
 * Warnings (-W..., -w, -pedantic), debug information (-g...), optimiser
 * switches that define nothing, code generation, linking, diagnostics
 * formatting, and every pass-through to another tool (-Xclang,
 * -Xpreprocessor, -Wp,, -Wa,, -Wl,, -mllvm) are dropped, and so is a
 * response file (@file): clang would read it, cleave never expands it.
 * The cost of a wrong guess is one unit parsed without an option that
 * mattered, which the unit's errors show; the cost of the other way round
 * was a file written anywhere.
 */
static const char *const keep_exact[] = {
    "-ansi", "-undef", "-trigraphs", "-traditional-cpp", "-nostdinc", "-nostdlibinc",
    "-nobuiltininc", "-m16", "-m32", "-m64", "-mx32", "-mthumb", "-marm", "-mbig-endian",
    "-mlittle-endian", "-mlong-double-64", "-mlong-double-80", "-mlong-double-128", "-O",
    "-Os", "-Oz", "-Og", "-Ofast", "-fpic", "-fPIC", "-fpie", "-fPIE", "-fno-pic", "-fno-PIC",
    "-fno-pie", "-fno-PIE", "-fstack-protector", "-fstack-protector-strong",
    "-fstack-protector-all", "-fno-stack-protector", "-pthread", "-ffast-math",
    "-fno-fast-math", "-ffinite-math-only", "-fno-finite-math-only", "-fmath-errno",
    "-fno-math-errno", "-fexceptions", "-fno-exceptions", "-fcf-protection", "-fopenmp",
    "-fno-openmp", "-fopenmp-simd", "-fno-inline", "-fsigned-char", "-fno-signed-char",
    "-funsigned-char", "-fno-unsigned-char", "-fgnu89-inline", "-fno-gnu89-inline",
    "-fshort-wchar", "-fno-short-wchar", "-fshort-enums", "-fno-short-enums",
    "-ffreestanding", "-fhosted", "-fbuiltin", "-fno-builtin", "-fblocks", "-fno-blocks",
    "-fms-extensions", "-fno-ms-extensions", "-fms-compatibility", "-fno-ms-compatibility",
    "-fdeclspec", "-fno-declspec", "-fasm", "-fno-asm", "-fgnu-keywords", "-fno-gnu-keywords",
    "-fdollars-in-identifiers", "-fno-dollars-in-identifiers",
};

/* Kept with the value joined to them ("-march=native"). */
static const char *const keep_joined[] = {
    "-std=", "--target=", "-march=", "-mcpu=", "-mabi=", "-mfpu=", "-mfloat-abi=",
    "-mcmodel=", "-fcf-protection=", "-fgnuc-version=", "-fno-builtin-",
};

/* Kept with a value joined or as the next argument. */
static const char *const keep_value[] = {"-D", "-U", "-x", "-target"};

/* Include search, kept when the path lies in a readable folder. */
static const char *const path_value[] = {
    "-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-isysroot", "--sysroot",
};

/* x86 instruction-set switches, as -m<name>... or -mno-<name>...: each
 * defines the macro code tests before using the instructions. */
static const char *const isa[] = {
    "sse", "ssse3", "avx", "mmx", "3dnow", "fma", "bmi", "lzcnt", "popcnt", "aes", "pclmul",
    "sha", "f16c", "rdrnd", "rdseed", "adx", "movbe", "xsave", "crc32", "gfni", "vaes",
    "vpclmulqdq", "cx16", "general-regs-only",
};

/* Dropped options whose value is the next argument, dropped with them
 * (and not counted again). */
static const char *const drop_value[] = {
    "-o", "-MF", "-MT", "-MQ", "-MJ", "-Xclang", "-Xpreprocessor", "-Xassembler", "-Xlinker",
    "-Xanalyzer", "-mllvm", "--config", "-ivfsoverlay", "-include-pch", "-iprefix",
    "-iwithprefix", "-iwithprefixbefore", "-imultilib", "-isystem-after", "-iframework", "-F",
    "-L", "-l", "-T", "-u", "-z", "-B", "-A", "-aux-info", "-arch", "--param",
    "-working-directory", "-dumpdir", "-dumpbase", "-dumpbase-ext", "-G",
    "-serialize-diagnostics", "-resource-dir", "-load",
};

/* Compiler launchers that run the compiler named by the next word. */
static const char *const launchers[] = {"ccache", "sccache", "distcc", "icecc"};

/* Positional arguments with these endings are inputs, never option values. */
static const char *const input_exts[] = {
    ".c", ".i", ".h", ".s", ".S", ".o", ".obj", ".a", ".so", ".lo",
    ".cc", ".cp", ".cpp", ".cxx", ".c++", ".C", ".m",
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int in_list(const char *s, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return 1;
    return 0;
}

/* The entry of list that a starts with, or NULL. */
static const char *prefix_in(const char *a, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (str_startswith(a, list[i])) return list[i];
    return NULL;
}

/* -O1, -O2, -O3 (and -O0): digits after -O. */
static int opt_level(const char *a) {
    if (!str_startswith(a, "-O") || !a[2]) return 0;
    for (const char *c = a + 2; *c; c++)
        if (*c < '0' || *c > '9') return 0;
    return 1;
}

static int isa_switch(const char *a) {
    if (!str_startswith(a, "-m")) return 0;
    const char *f = str_startswith(a, "-mno-") ? a + 5 : a + 2;
    const char *name = prefix_in(f, isa, COUNT(isa));
    if (!name) return 0;
    for (const char *c = f + strlen(name); *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || *c == '.')) return 0;
    return 1;
}

static int is_input(const char *a, const char *source) {
    if (strcmp(a, source) == 0) return 1;
    for (size_t i = 0; i < COUNT(input_exts); i++)
        if (str_endswith(a, input_exts[i])) return 1;
    return 0;
}

/* Is input a the entry's own source, however either is spelled ("lapi.c"
 * in the command, its absolute path in "file")? */
static int is_source(const char *a, const char *source, const char *directory) {
    if (strcmp(a, source) == 0) return 1;
    const char *dir = directory ? directory : "/";
    char *ja = path_join(dir, a), *js = path_join(dir, source);
    char *na = path_normalize(ja), *ns = path_normalize(js);
    int same = strcmp(na, ns) == 0;
    free(ja);
    free(js);
    free(na);
    free(ns);
    return same;
}

/* Index of the compiler in argv, past any launcher (ccache gcc ...). */
static size_t compiler_index(const strvec *argv) {
    size_t i = 0;
    while (i + 1 < argv->n && in_list(path_basename(argv->v[i]), launchers, COUNT(launchers)) &&
           argv->v[i + 1][0] != '-')
        i++;
    return i;
}

/* Does include option opt's path abs (absolute, normalized) lie in a
 * readable folder?  As written: a link inside one that leads out is
 * caught when the unit reads through it (frontend.h), and the check costs
 * no look at the disk for the thousands of include paths of a big
 * database.  A relative -include the working directory lacks is looked up
 * along the include path, which is confined itself. */
static int readable_path(const char *opt, const char *val, const char *abs,
                         const strvec *readable) {
    struct stat st;
    if (!readable) return 1;
    if (val[0] != '/' && (strcmp(opt, "-include") == 0 || strcmp(opt, "-imacros") == 0) &&
        stat(abs, &st) != 0)
        return 1;
    return project_under(readable, abs);
}

/* Records a dropped argument: counted, and its name in `dropped` (the
 * option without its value; a dropped include path with it). */
static void drop(const char *name, size_t len, size_t *count, strvec *dropped) {
    (*count)++;
    if (!dropped) return;
    char *n = xstrndup(name, len);
    if (!strvec_contains(dropped, n))
        strvec_push_owned(dropped, n);
    else
        free(n);
}

size_t project_clean_args(const strvec *argv, const char *source, const char *directory,
                          const strvec *readable, strvec *out, strvec *dropped) {
    size_t count = 0;
    for (size_t i = argv->n ? compiler_index(argv) + 1 : 0; i < argv->n; i++) {
        const char *a = argv->v[i];
        const char *has = i + 1 < argv->n ? argv->v[i + 1] : NULL, *o;
        /* the compile step itself: nothing to count */
        if (strcmp(a, "-c") == 0 || (strcmp(a, "-o") == 0 && has)) {
            i += a[1] == 'o';
            continue;
        }
        if (str_startswith(a, "-o")) continue;
        if (a[0] != '-' && is_input(a, source)) {
            if (!is_source(a, source, directory)) drop(a, strlen(a), &count, dropped);
            continue;
        }
        if ((o = prefix_in(a, path_value, COUNT(path_value))) != NULL) {
            /* "-Ipath", "-I path", "--sysroot=path"; -isystemX and the like
             * only as a path ("-include-pch" is another option) */
            size_t ol = strlen(o);
            const char *v = a[ol] == '=' && o[1] == '-' ? a + ol + 1 : a + ol;
            int joined = *v != '\0';
            if (joined && o[1] != 'I' && v == a + ol && *v != '/' && *v != '.') goto other;
            if (!joined && !has) goto other;
            if (!joined) v = has;
            char *j = path_join(directory ? directory : "/", v), *abs = path_normalize(j);
            if (readable_path(o, v, abs, readable)) {
                strvec_push(out, a);
                if (!joined) strvec_push(out, argv->v[++i]);
            } else {
                char *name = xasprintf("%s%s%s", o, o[1] == '-' ? "=" : "", abs);
                drop(name, strlen(name), &count, dropped);
                free(name);
                i += !joined;
            }
            free(abs);
            free(j);
            continue;
        }
        if ((o = prefix_in(a, keep_value, COUNT(keep_value))) != NULL &&
            (strcmp(a, o) != 0 || has) && (a[strlen(o)] == '\0' || strcmp(o, "-target") != 0)) {
            strvec_push(out, a);
            if (strcmp(a, o) == 0) strvec_push(out, argv->v[++i]);
            continue;
        }
        if (in_list(a, keep_exact, COUNT(keep_exact)) || opt_level(a) || isa_switch(a) ||
            prefix_in(a, keep_joined, COUNT(keep_joined)) || str_startswith(a, "--std=")) {
            const char *std = str_startswith(a, "--std=") ? a + 6
                              : str_startswith(a, "-std=")  ? a + 5
                                                             : NULL;
            /* GCC also spells it --std=; clang 14 spells C23 as c2x */
            if (std && (strcmp(std, "c23") == 0 || strcmp(std, "gnu23") == 0))
                strvec_push_owned(out, xasprintf("-std=%.*s2x", (int)(strlen(std) - 2), std));
            else if (std)
                strvec_push_owned(out, xasprintf("-std=%s", std));
            else
                strvec_push(out, a);
            continue;
        }
    other:
        if (in_list(a, drop_value, COUNT(drop_value)) && has) {
            drop(a, strlen(a), &count, dropped);
            i++;
            continue;
        }
        const char *eq = strchr(a, '=');
        drop(a, a[0] == '-' && eq ? (size_t)(eq - a) + 1 : strlen(a), &count, dropped);
    }
    return count;
}

/* ---- reading the database ----------------------------------------------- */

/* C unless a -x option or a C++ compiler driver says otherwise. */
static int compiles_c(const strvec *argv, const char *file) {
    const char *lang = NULL;
    for (size_t i = 1; i < argv->n; i++) {
        if (strcmp(argv->v[i], "-x") == 0 && i + 1 < argv->n)
            lang = argv->v[++i];
        else if (str_startswith(argv->v[i], "-x") && argv->v[i][2])
            lang = argv->v[i] + 2;
    }
    if (lang) return strcmp(lang, "c") == 0;
    if (argv->n && strstr(path_basename(argv->v[compiler_index(argv)]), "++")) return 0;
    return str_endswith(file, ".c");
}

/* Absolute path with the directories' symlinks resolved when they exist, so
 * database paths and the project root (also resolved) compare equal. */
static char *canon_dir(const char *abs) {
    char *r = realpath(abs, NULL);
    if (r) {
        char *n = path_normalize(r);
        free(r);
        return n;
    }
    return path_normalize(abs);
}

static char *canon_file(const char *abs) {
    char *n = path_normalize(abs);
    char *dir = path_dirname(n);
    char *cdir = canon_dir(dir);
    char *r = path_join(cdir, path_basename(n));
    free(n);
    free(dir);
    free(cdir);
    return r;
}

/* Offsets where the elements of the top-level array start.  The text is
 * valid JSON (cJSON accepted it), so only strings need care. */
static void element_offsets(const char *text, offsets *offs) {
    size_t i = 0;
    while (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') i++;
    if (text[i] != '[') return;
    int depth = 1, expect = 1;
    for (i++; text[i] && depth > 0; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        if (depth == 1 && expect && c != ']') {
            VEC_PUSH(*offs, i);
            expect = 0;
        }
        if (c == '"') {
            for (i++; text[i] && text[i] != '"'; i++)
                if (text[i] == '\\' && text[i + 1]) i++;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            depth--;
        } else if (c == ',' && depth == 1) {
            expect = 1;
        }
    }
}

static char *json_error(const char *db, const char *text, const char *at) {
    int line, col;
    size_t off = at ? (size_t)(at - text) : 0;
    text_position(text, off, &line, &col);
    if (!at || !*at) return xasprintf("%s:%d:%d: malformed JSON: unexpected end of file", db, line, col);
    unsigned char c = (unsigned char)*at;
    if (c >= 0x20 && c < 0x7f)
        return xasprintf("%s:%d:%d: malformed JSON near '%c'", db, line, col, c);
    return xasprintf("%s:%d:%d: malformed JSON near byte 0x%02x", db, line, col, c);
}

static int cmpjob(const void *a, const void *b) {
    return strcmp(((const project_job *)a)->file, ((const project_job *)b)->file);
}

/* Argument vector of one entry: "arguments" wins over "command". */
static const char *entry_argv(const cJSON *e, strvec *argv) {
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "arguments");
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
    if (args) {
        const cJSON *a;
        if (!cJSON_IsArray(args)) return "\"arguments\" is not an array of strings";
        cJSON_ArrayForEach(a, args) {
            if (!cJSON_IsString(a)) return "\"arguments\" is not an array of strings";
            strvec_push(argv, a->valuestring);
        }
        if (!argv->n) return "\"arguments\" is empty";
        return NULL;
    }
    if (!cmd) return "missing \"arguments\" or \"command\"";
    if (!cJSON_IsString(cmd)) return "\"command\" is not a string";
    if (project_split_command(cmd->valuestring, argv) != 0)
        return "unterminated quote in \"command\"";
    if (!argv->n) return "\"command\" is empty";
    return NULL;
}

/* An entry read in the first pass, before the root is known. */
typedef struct entry {
    char *file, *dir;   /* absolute, folders resolved */
    const char *source; /* "file" as written (in the JSON tree) */
    strvec argv;
    size_t k;   /* 1-based, in the database */
    size_t off; /* where it starts in the text */
    strvec clean; /* cleaned arguments (choose_builds only) */
    strvec feat;  /* those that mean the same in any folder, sorted, value joined: "-DX=1" */
    int skip;     /* another build of the file was chosen */
} entry;

/* Longest common folder of a and b (both absolute and normalized). */
static char *common_dir(const char *a, const char *b) {
    size_t i = 0, last = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/') last = i;
        i++;
    }
    if ((!a[i] || a[i] == '/') && (!b[i] || b[i] == '/')) last = i;
    return last ? xstrndup(a, last) : xstrdup("/");
}

/* For a database given as PATH: grow the root until it holds every
 * source, but never above the current directory (nor at all when the
 * database lies outside it), so an entry naming /etc/passwd cannot make
 * the whole disk the project.  Sources left outside are refused later. */
static void widen(project *p, const entry *e, size_t n) {
    char *cwd = getcwd(NULL, 0);
    char *bound = cwd ? canon_dir(cwd) : NULL;
    free(cwd);
    for (size_t i = 0; bound && i < n; i++) {
        char *rel = path_relative(p->root, e[i].file);
        if (rel) {
            free(rel);
            continue;
        }
        char *dir = path_dirname(e[i].file);
        char *c = common_dir(p->root, dir);
        char *in = path_relative(bound, c);
        if (in) {
            free(p->root);
            p->root = c;
        } else {
            free(c);
        }
        free(in);
        free(dir);
    }
    free(bound);
}

/* Why the entry's source may not be read, or NULL: it lies outside the
 * root, the database's folder and --allow-dir, leads out of them through
 * a symbolic link, or is no regular file (a FIFO would block the parser).
 * A source that does not exist is the front end's to report. */
static char *refusal(const project *p, const strvec *sources, const char *file) {
    struct stat st;
    /* file's folders are resolved (canon_file): only its last part may be a link */
    if (!project_under(sources, file)) return xasprintf("outside the project (%s)", p->root);
    if (lstat(file, &st) == 0 && S_ISLNK(st.st_mode) && !project_within(sources, file)) {
        char *real = realpath(file, NULL);
        char *why = xasprintf("a symbolic link to %s, outside the project", real ? real : "?");
        free(real);
        return why;
    }
    if (stat(file, &st) == 0 && !S_ISREG(st.st_mode)) return xstrdup(file_strerror(CLEAVE_ENOTREG));
    return NULL;
}

/* ---- one build of each file ------------------------------------------------
 *
 * A database may compile one file several times: libtool builds a
 * library twice (-fPIC -DPIC and without), PostgreSQL builds src/port and
 * src/common for the server and again with -DFRONTEND for client
 * programs.  Entries whose folder and cleaned arguments are the same are
 * one build (the first is kept).  Between different builds cleave picks
 * the one that looks most like the rest of the database: the options that
 * tell the file's builds apart (those some have and some lack; macros,
 * -fPIC, -std=, ... -- not include paths, whose meaning depends on the
 * folder) are looked up in the entries of every other file, and the build
 * agreeing with most of them, option by option, wins; a tie goes to the
 * earlier entry.  A file's several builds usually serve several programs,
 * and the build shared with most of the database is the one of the
 * program most of the database belongs to (PostgreSQL: the server).  The
 * choice is in p->builds, for the graph to say; the builds not chosen are
 * kept in p->alts, for scan.c to read one for a program that links it.
 * At most PROJECT_BUILDS_MAX builds of a file are told apart (a hostile
 * database may list it 10,000 ways): the rest are skipped, with a warning.
 */

/* e->clean and e->feat. */
static void features(entry *e, const strvec *readable) {
    project_clean_args(&e->argv, e->source, e->dir, readable, &e->clean, NULL);
    for (size_t i = 0; i < e->clean.n; i++) {
        const char *a = e->clean.v[i];
        int path = prefix_in(a, path_value, COUNT(path_value)) != NULL;
        int split = i + 1 < e->clean.n && (in_list(a, keep_value, COUNT(keep_value)) ||
                                           in_list(a, path_value, COUNT(path_value)));
        if (!path) strvec_push_owned(&e->feat, xasprintf("%s%s", a, split ? e->clean.v[i + 1] : ""));
        i += split;
    }
    strvec_sort(&e->feat);
}

static int same_build(const entry *a, const entry *b) {
    if (strcmp(a->dir, b->dir) != 0 || a->clean.n != b->clean.n) return 0;
    for (size_t i = 0; i < a->clean.n; i++)
        if (strcmp(a->clean.v[i], b->clean.v[i]) != 0) return 0;
    return 1;
}

static int has_feat(const entry *e, const char *f) {
    return strvec_contains(&e->feat, f);
}

/* Entry indexes by (file, position in the database). */
static const entry *sort_base;
static int cmp_entry(const void *a, const void *b) {
    const entry *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
    int c = strcmp(x->file, y->file);
    return c ? c : (x->k > y->k) - (x->k < y->k);
}

/* Chooses between the distinct builds g[0..n) (entry indexes, in database
 * order) of one file; marks the others skipped and records the choice. */
static void choose(project *p, entry *es, const size_t *g, size_t n, const strmap *count,
                   size_t total, size_t all) {
    strvec diff = {0}; /* options some of the builds have and some lack */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < es[g[i]].feat.n; j++) {
            const char *f = es[g[i]].feat.v[j];
            size_t have = 0;
            for (size_t m = 0; m < n; m++) have += has_feat(&es[g[m]], f);
            if (have < n && !strvec_contains(&diff, f)) strvec_push(&diff, f);
        }
    strvec_sort(&diff);
    /* entries of other files: all of them, less this file's `all` */
    size_t others = total - all, best = 0, best_score = 0;
    for (size_t i = 0; i < n; i++) {
        size_t score = 0;
        for (size_t d = 0; d < diff.n; d++) {
            size_t c = 0;
            strmap_get(count, diff.v[d], &c);
            score += has_feat(&es[g[i]], diff.v[d]) ? c : others - c;
        }
        if (i == 0 || score > best_score) {
            best = i;
            best_score = score;
        }
    }
    char *rel = path_relative(p->root, es[g[best]].file);
    project_build b = {rel ? rel : xstrdup(es[g[best]].file), n, es[g[best]].k, {0}, {0},
                       best_score, others * diff.n};
    for (size_t d = 0; d < diff.n; d++) {
        strvec_push(has_feat(&es[g[best]], diff.v[d]) ? &b.with : &b.without, diff.v[d]);
        /* a macro that tells the builds apart tells programs apart */
        if (str_startswith(diff.v[d], "-D") && diff.v[d][2]) {
            size_t n = strcspn(diff.v[d] + 2, "=");
            char *name = xstrndup(diff.v[d] + 2, n);
            if (!strvec_contains(&p->build_macros, name)) strvec_push(&p->build_macros, name);
            free(name);
        }
    }
    VEC_PUSH(p->builds, b);
    for (size_t i = 0; i < n; i++) {
        es[g[i]].skip = i != best;
        if (i == best) continue;
        /* kept for a program that links this build (scan.c) */
        project_alt alt = {xstrdup(es[g[i]].file), xstrdup(es[g[i]].dir), {0}, es[g[i]].k};
        for (size_t a = 0; a < es[g[i]].clean.n; a++) strvec_push(&alt.args, es[g[i]].clean.v[a]);
        VEC_PUSH(p->alts, alt);
    }
    strvec_free(&diff);
}

/* Keeps one entry of each file (see above); counts the others in
 * p->skipped. */
static void choose_builds(project *p, entry *es, size_t n) {
    size_t *ix = xmallocarray(n ? n : 1, sizeof *ix);
    for (size_t i = 0; i < n; i++) ix[i] = i;
    sort_base = es;
    if (n > 1) qsort(ix, n, sizeof *ix, cmp_entry);
    int any = 0;
    for (size_t i = 0; i + 1 < n && !any; i++)
        any = strcmp(es[ix[i]].file, es[ix[i + 1]].file) == 0;
    strmap *count = strmap_new();
    if (any) /* a file has several entries: every entry's options, counted */
        for (size_t i = 0; i < n; i++) {
            entry *e = &es[i];
            features(e, &p->readable);
            for (size_t j = 0; j < e->feat.n; j++) {
                size_t c = 0;
                strmap_get(count, e->feat.v[j], &c);
                strmap_put(count, e->feat.v[j], c + 1);
            }
        }
    size_t *g = xmallocarray(n ? n : 1, sizeof *g);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(es[ix[j]].file, es[ix[i]].file) == 0) j++;
        /* the file's distinct builds, each as its first entry */
        size_t ng = 0, beyond = 0;
        for (size_t m = i; m < j; m++) {
            size_t q = 0;
            while (q < ng && !same_build(&es[g[q]], &es[ix[m]])) q++;
            if (q == ng && ng < PROJECT_BUILDS_MAX) g[ng++] = ix[m];
            else es[ix[m]].skip = 1;
            beyond += q == ng && ng == PROJECT_BUILDS_MAX;
        }
        if (beyond)
            strvec_push_owned(&p->warnings,
                              xasprintf("%s: compiled in more than %d ways; %zu entries of other "
                                        "builds are not considered",
                                        es[ix[i]].file, PROJECT_BUILDS_MAX, beyond));
        if (ng > 1) {
            /* this file's entries do not vote: take them out of the counts */
            for (size_t m = i; m < j; m++)
                for (size_t f = 0; f < es[ix[m]].feat.n; f++) {
                    size_t c = 0;
                    strmap_get(count, es[ix[m]].feat.v[f], &c);
                    strmap_put(count, es[ix[m]].feat.v[f], c - 1);
                }
            choose(p, es, g, ng, count, n, j - i);
            for (size_t m = i; m < j; m++)
                for (size_t f = 0; f < es[ix[m]].feat.n; f++) {
                    size_t c = 0;
                    strmap_get(count, es[ix[m]].feat.v[f], &c);
                    strmap_put(count, es[ix[m]].feat.v[f], c + 1);
                }
        }
        p->skipped += j - i - 1;
        i = j;
    }
    free(g);
    free(ix);
    strmap_free(count);
}

int project_load_compdb(project *p, const char *db_path, int wide, char **err) {
    int rc = -1;
    size_t len = 0;
    char *text = NULL, *dbdir = path_dirname(db_path);
    cJSON *json = NULL;
    offsets offs = {0};
    struct { entry *v; size_t n, cap; } es = {0};
    strvec sources = {0};

    text = file_read_all(db_path, &len);
    if (!text) {
        *err = xasprintf("%s: %s", db_path, file_strerror(errno));
        goto cleanup;
    }
    p->db_digest = hash_bytes(text, len, 0);
    const char *end = NULL;
    json = cJSON_ParseWithOpts(text, &end, 1);
    if (!json) {
        *err = json_error(db_path, text, end);
        goto cleanup;
    }
    if (!cJSON_IsArray(json)) {
        size_t i = 0;
        while (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') i++;
        int line, col;
        text_position(text, i, &line, &col);
        *err = xasprintf("%s:%d:%d: expected an array of compile commands", db_path, line, col);
        goto cleanup;
    }
    element_offsets(text, &offs);

    /* first pass: the C entries */
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, json) {
        k++;
        const char *what = NULL;
        const cJSON *jd = cJSON_GetObjectItemCaseSensitive(e, "directory");
        const cJSON *jf = cJSON_GetObjectItemCaseSensitive(e, "file");
        entry en = {0};
        en.k = k;
        en.off = k - 1 < offs.n ? offs.v[k - 1] : 0;
        if (!cJSON_IsObject(e))
            what = "not an object";
        else if (!cJSON_IsString(jd))
            what = "missing \"directory\" string";
        else if (!cJSON_IsString(jf))
            what = "missing \"file\" string";
        else
            what = entry_argv(e, &en.argv);
        if (what) {
            /* the position is counted from the start of the text: only
             * for the error, or reading a database would be quadratic */
            int line = 1, col = 1;
            if (k - 1 < offs.n) text_position(text, offs.v[k - 1], &line, &col);
            *err = xasprintf("%s:%d:%d: entry %zu: %s", db_path, line, col, k, what);
            strvec_free(&en.argv);
            goto cleanup;
        }
        /* a relative directory is taken against the database's folder */
        char *d = path_join(dbdir, jd->valuestring);
        en.dir = canon_dir(d);
        free(d);
        char *f = path_join(en.dir, jf->valuestring);
        en.file = canon_file(f);
        free(f);
        en.source = jf->valuestring;
        if (!compiles_c(&en.argv, en.file)) {
            p->skipped++;
            free(en.dir);
            free(en.file);
            strvec_free(&en.argv);
            continue;
        }
        VEC_PUSH(es, en);
    }

    if (wide) widen(p, es.v, es.n);
    project_add_readable(p, p->root);
    project_add_readable(p, dbdir);
    /* sources may come from the root, the database's folder (generated
     * files of an out-of-tree build) and --allow-dir, not the system's */
    strvec_push(&sources, p->root);
    strvec_push(&sources, dbdir);
    for (size_t i = 0; i < p->allowed.n; i++) strvec_push(&sources, p->allowed.v[i]);
    choose_builds(p, es.v, es.n);
    strvec_sort(&p->build_macros);

    /* second pass: confined, cleaned, in positions order (the text is
     * walked once for every position) */
    int line = 1, col = 1;
    size_t at = 0;
    for (size_t i = 0; i < es.n; i++) {
        entry *en = &es.v[i];
        if (en->skip) continue;
        char *why = refusal(p, &sources, en->file);
        if (why) {
            for (; at < en->off && text[at]; at++) {
                if (text[at] == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            strvec_push_owned(&p->warnings, xasprintf("%s:%d:%d: entry %zu: %s: %s; not read",
                                                      db_path, line, col, en->k, en->file, why));
            free(why);
            continue;
        }
        project_job job = {en->file, en->dir, {0}, {0}, NULL};
        p->flags_dropped += project_clean_args(&en->argv, en->source, en->dir, &p->readable,
                                               &job.args, &p->dropped_names);
        VEC_PUSH(p->jobs, job);
        en->file = en->dir = NULL;
    }
    strvec_sort(&p->dropped_names);
    if (p->jobs.n > 1) qsort(p->jobs.v, p->jobs.n, sizeof *p->jobs.v, cmpjob);
    rc = 0;
cleanup:
    for (size_t i = 0; i < es.n; i++) {
        free(es.v[i].file);
        free(es.v[i].dir);
        strvec_free(&es.v[i].argv);
        strvec_free(&es.v[i].clean);
        strvec_free(&es.v[i].feat);
    }
    free(es.v);
    strvec_free(&sources);
    free(offs.v);
    cJSON_Delete(json);
    free(text);
    free(dbdir);
    return rc;
}
