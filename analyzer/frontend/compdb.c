/*
 * compdb.c - reads a JSON compilation database (compile_commands.json) into
 * project jobs, and cleans each entry's compiler arguments for libclang.
 *
 * Nothing in the database is executed: "command" strings are only split
 * into words the way sh would, and arguments are only filtered.  Entries
 * that do not compile C are skipped, and so are repeated entries for one
 * file (libtool compiles each file twice, PIC and non-PIC): the first wins.
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
 * GCC options clang rejects as unknown (a hard error that would mark the
 * TU failed).  Every entry was checked with clang 14:
 * `clang -fsyntax-only FLAG x.c` exits with "unknown argument" (or
 * "unsupported option" for the target).  Options clang merely warns about
 * (-fmerge-constants, -ffat-lto-objects, -mno-fp-ret-in-387, unknown -W...)
 * are kept.  A trailing '*' means a prefix: used only for families where
 * clang has no real option at all (checked with `clang --autocomplete=`);
 * the few it silently ignores (-fipa-cp, -ftree-vectorize) only steer the
 * optimiser, so dropping them changes nothing for parsing.
 */
static const char *const gcc_only[] = {
    "-fipa-*", "-fno-ipa-*", "-ftree-*", "-fno-tree-*",
    "-fdump-*", "-fopt-info*", "-fira-*", "-fno-ira-*", "-fsched-*",
    "-fno-sched-*", "-fselective-scheduling*", "-floop-*", "-fgraphite*",
    "-fcallgraph-info*", "-fvect-cost-model*", "-fsimd-cost-model*",
    "-fharden-*", "-flive-patching*", "-fstack-reuse=*", "-flto-partition=*",
    "-fzero-call-used-regs=*", "-fstrict-flex-arrays=*",
    "-fmin-function-alignment=*", "-ftrack-macro-expansion*",
    "-fwide-exec-charset=*", "-fsso-struct=*", "-femit-struct-debug-*",
    "-fcompare-debug*", "-fdiagnostics-urls=*", "-fdiagnostics-column-unit=*",
    "-fdiagnostics-escape-format=*", "-fdiagnostics-path-format=*",
    "-fdiagnostics-minimum-margin-width=*", "-fdiagnostics-format=json*",
    "-fdiagnostics-format=sarif*", "-fvtable-verify=*",
    "-finstrument-functions-exclude-*", "-fisolate-erroneous-paths-*",
    "-fno-isolate-erroneous-paths-*", "-freorder-blocks-algorithm=*",
    "-mtls-dialect=*", "-mpreferred-stack-boundary=*",
    "-mincoming-stack-boundary=*", "-mstringop-strategy=*",
    "-mmemcpy-strategy=*", "-mmemset-strategy=*", "-mindirect-branch=*",
    "-mfunction-return=*", "-mtune-ctrl=*", "-mstack-protector-guard-symbol=*",
    "-fvar-tracking", "-fvar-tracking-assignments",
    "-fno-var-tracking-assignments", "-gvariable-location-views",
    "-gno-variable-location-views", "-gno-as-loc-support", "-ginline-points",
    "-gstatement-frontiers", "-gno-statement-frontiers",
    "-ginternal-reset-location-views", "-gdescribe-dies",
    "-fconserve-stack", "-fallow-store-data-races",
    "-fno-allow-store-data-races", "-fpartial-inlining",
    "-fno-partial-inlining", "-fearly-inlining", "-fno-early-inlining",
    "-findirect-inlining", "-fno-guess-branch-probability",
    "-fpredictive-commoning", "-fno-aggressive-loop-optimizations",
    "-fno-move-loop-invariants", "-fno-toplevel-reorder",
    "-fno-reorder-functions", "-fno-reorder-blocks-and-partition",
    "-fno-code-hoisting", "-fstrict-volatile-bitfields",
    "-fno-strict-volatile-bitfields", "-fgnu-tm", "-fprofile-partial-training",
    "-fprofile-reorder-functions", "-fhardened", "-fopenacc", "-fsplit-paths",
    "-fsplit-loops", "-fshrink-wrap", "-fno-shrink-wrap", "-fcrossjumping",
    "-fno-crossjumping", "-fif-conversion", "-fno-if-conversion",
    "-fsection-anchors", "-fno-cprop-registers", "-fstdarg-opt",
    "-fno-ssa-phiopt", "-fversion-loops-for-strides",
    "-fno-printf-return-value", "-fno-peephole2", "-flra-remat",
    "-fcx-fortran-rules", "-fcx-limited-range", "-flimit-function-alignment",
    "-fkeep-static-functions", "-fno-function-cse",
    "-fallow-parameterless-variadic-functions", "-fanalyzer",
    "-fno-optimize-strlen", "-fdelete-dead-exceptions", "-fno-lifetime-dse",
    "-fno-canonical-system-headers", "-fdirectives-only", "-fpreprocessed",
    "-fcond-mismatch", "-fplan9-extensions", "-fno-merge-debug-strings",
    "-fstack-protector-explicit", "-fno-stack-protector-all",
    "-fno-inline-atomics", "-fno-sync-libcalls", "-fno-gnu-unique",
    "-flto-odr-type-merging", "-fno-signed-bitfields", "-fleading-underscore",
    "-fno-leading-underscore", "-finhibit-size-directive", "-fworking-directory",
    "-fdebug-cpp", "-fno-nonansi-builtins", "-fno-diagnostics-show-caret",
    "-fno-diagnostics-show-line-numbers", "-fdiagnostics-plain-output",
    "-fdiagnostics-generate-patch", "-fno-diagnostics-show-labels",
    "-fno-diagnostics-show-cwe", "-fno-diagnostics-show-template-tree",
    "-fstack-check=specific", "-ftrivial-auto-var-init=zero",
    "-mindirect-branch-register", "-mno-indirect-branch-register",
    "-mindirect-branch-cs-prefix", "-mrecord-mcount", "-mnop-mcount",
    "-mrecord-return", "-mcall-ms2sysv-xlogues", "-mno-push-args",
    "-maccumulate-outgoing-args", "-m96bit-long-double",
    "-m128bit-long-double", "-mno-align-stringops",
    "-mavx256-split-unaligned-load", "-mno-avx256-split-unaligned-load",
    "-mdirect-extern-access", "-mneeded", "-mno-ieee-fp", "-msse2avx",
};

/* Options whose value is the next argument (when written apart). */
static const char *const takes_value[] = {
    "-x", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-idirafter",
    "-iquote", "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot",
    "-imultilib", "-isystem-after", "-include-pch", "-Xclang",
    "-Xpreprocessor", "-Xassembler", "-Xlinker", "-L", "-l", "-T", "-u",
    "-z", "-B", "-A", "-aux-info", "-arch", "-target", "--target",
    "--sysroot", "--param", "-working-directory", "-dumpdir", "-dumpbase",
    "-dumpbase-ext", "-iframework", "-F", "-G",
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

static int gcc_only_flag(const char *a) {
    for (size_t i = 0; i < COUNT(gcc_only); i++) {
        const char *g = gcc_only[i];
        size_t n = strlen(g);
        if (g[n - 1] == '*' ? strncmp(a, g, n - 1) == 0 : strcmp(a, g) == 0)
            return 1;
    }
    /* GCC's -flto=N (a job count); clang knows only -flto=auto|jobserver|thin|full */
    if (str_startswith(a, "-flto=") && a[6] >= '0' && a[6] <= '9') return 1;
    return 0;
}

/*
 * Flags that do not belong in a parse: the compile step itself (-c -S -E,
 * -o), dependency output (-M*, which would write files), -Werror and
 * friends (clang warns differently from GCC, and an error-promoted warning
 * or -Wfatal-errors would cut the parse short), -save-temps and -pipe, and
 * the GCC-only options above.
 */
static int dropped_flag(const char *a) {
    static const char *const exact[] = {
        "-c", "-S", "-E", "-Werror", "-pedantic-errors", "-Wfatal-errors", "-pipe",
    };
    if (in_list(a, exact, COUNT(exact))) return 1;
    if (str_startswith(a, "-M") || str_startswith(a, "-Werror=") ||
        str_startswith(a, "-save-temps") || str_startswith(a, "-o"))
        return 1;
    /* -Wp,-MD,file and friends would make clang write a dependency file */
    if (str_startswith(a, "-Wp,") && strstr(a, ",-M")) return 1;
    return gcc_only_flag(a);
}

static int is_input(const char *a, const char *source) {
    if (strcmp(a, source) == 0) return 1;
    for (size_t i = 0; i < COUNT(input_exts); i++)
        if (str_endswith(a, input_exts[i])) return 1;
    return 0;
}

/* Index of the compiler in argv, past any launcher (ccache gcc ...). */
static size_t compiler_index(const strvec *argv) {
    size_t i = 0;
    while (i + 1 < argv->n && in_list(path_basename(argv->v[i]), launchers, COUNT(launchers)) &&
           argv->v[i + 1][0] != '-')
        i++;
    return i;
}

void project_clean_args(const strvec *argv, const char *source, strvec *out) {
    for (size_t i = argv->n ? compiler_index(argv) + 1 : 0; i < argv->n; i++) {
        const char *a = argv->v[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "-MF") == 0 || strcmp(a, "-MT") == 0 ||
            strcmp(a, "-MQ") == 0 || strcmp(a, "-MJ") == 0) {
            i++; /* and its value */
            continue;
        }
        if (dropped_flag(a)) continue;
        if (in_list(a, takes_value, COUNT(takes_value))) {
            strvec_push(out, a);
            if (i + 1 < argv->n) strvec_push(out, argv->v[++i]);
            continue;
        }
        if (a[0] != '-' && is_input(a, source)) continue;
        /* clang 14 spells C23 as c2x */
        if (strcmp(a, "-std=c23") == 0)
            a = "-std=c2x";
        else if (strcmp(a, "-std=gnu23") == 0)
            a = "-std=gnu2x";
        strvec_push(out, a);
    }
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

int project_load_compdb(project *p, const char *db_path, char **err) {
    int rc = -1;
    size_t len = 0;
    char *text = NULL, *dbdir = path_dirname(db_path);
    cJSON *json = NULL;
    offsets offs = {0};
    strmap *seen = strmap_new();
    strvec argv = {0};
    char *dir = NULL, *file = NULL;

    text = file_read_all(db_path, &len);
    if (!text) {
        *err = xasprintf("%s: %s", db_path, strerror(errno));
        goto cleanup;
    }
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

    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, json) {
        k++;
        const char *what = NULL;
        const cJSON *jd = cJSON_GetObjectItemCaseSensitive(e, "directory");
        const cJSON *jf = cJSON_GetObjectItemCaseSensitive(e, "file");
        strvec_free(&argv);
        if (!cJSON_IsObject(e))
            what = "not an object";
        else if (!cJSON_IsString(jd))
            what = "missing \"directory\" string";
        else if (!cJSON_IsString(jf))
            what = "missing \"file\" string";
        else
            what = entry_argv(e, &argv);
        if (what) {
            /* the position is counted from the start of the text: only
             * for the error, or reading a database would be quadratic */
            int line = 1, col = 1;
            if (k - 1 < offs.n) text_position(text, offs.v[k - 1], &line, &col);
            *err = xasprintf("%s:%d:%d: entry %zu: %s", db_path, line, col, k, what);
            goto cleanup;
        }
        /* a relative directory is taken against the database's folder */
        char *d = path_join(dbdir, jd->valuestring);
        dir = canon_dir(d);
        free(d);
        char *f = path_join(dir, jf->valuestring);
        file = canon_file(f);
        free(f);
        int added = 0;
        if (compiles_c(&argv, file)) strmap_intern(seen, file, 1, &added);
        if (!added) { /* not C, or a repeat */
            p->skipped++;
            free(dir);
            free(file);
            dir = file = NULL;
            continue;
        }
        project_job job = {file, dir, {0}};
        project_clean_args(&argv, jf->valuestring, &job.args);
        VEC_PUSH(p->jobs, job);
        dir = file = NULL;
    }
    if (p->jobs.n > 1) qsort(p->jobs.v, p->jobs.n, sizeof *p->jobs.v, cmpjob);
    rc = 0;
cleanup:
    free(dir);
    free(file);
    strvec_free(&argv);
    strmap_free(seen);
    free(offs.v);
    cJSON_Delete(json);
    free(text);
    free(dbdir);
    return rc;
}
