/*
 * test_project.c - unit tests for project.c, compdb.c and srctree.c:
 * command splitting, argument cleaning, compilation databases and the
 * tree walk with stand-in headers.  Every fixture is written into a fresh
 * mkdtemp directory and removed afterwards; the test takes no arguments
 * and does not depend on the current directory.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/project.h"
#include "test.h"

/* ---- helpers ------------------------------------------------------------ */

static char *make_tmpdir(void) {
    const char *t = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/cleave-test-XXXXXX", t && t[0] == '/' ? t : "/tmp");
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        exit(1);
    }
    /* resolved, since the project resolves its root the same way */
    char *real = realpath(tmpl, NULL);
    free(tmpl);
    return real;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir) {
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to dir/rel, creating folders on the way. */
static void put(const char *dir, const char *rel, const char *text) {
    char *path = path_join(dir, rel);
    for (char *q = path + strlen(dir) + 1; *q; q++) {
        if (*q != '/') continue;
        *q = '\0';
        mkdir(path, 0755);
        *q = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    free(path);
}

static char *slurp(const char *dir, const char *rel) {
    char *path = path_join(dir, rel);
    char *text = file_read_all(path, NULL);
    free(path);
    return text;
}

static int exists_in(const char *dir, const char *rel) {
    char *path = path_join(dir, rel);
    struct stat st;
    int r = stat(path, &st) == 0;
    free(path);
    return r;
}

static strvec words(const char *const *w) {
    strvec sv = {0};
    for (; *w; w++) strvec_push(&sv, *w);
    return sv;
}

/* The vector joined with single spaces, for compact comparisons. */
static char *joined(const strvec *sv) {
    size_t len = 1;
    for (size_t i = 0; i < sv->n; i++) len += strlen(sv->v[i]) + 1;
    char *s = xcalloc(1, len);
    for (size_t i = 0; i < sv->n; i++) {
        if (i) strcat(s, " ");
        strcat(s, sv->v[i]);
    }
    return s;
}

static void check_split(const char *cmd, int want_rc, const char *want) {
    strvec sv = {0};
    int rc = project_split_command(cmd, &sv);
    char *got = joined(&sv);
    CHECK_INT(rc, want_rc);
    CHECK_STR(got, want);
    free(got);
    strvec_free(&sv);
}

static const project_standin *standin(const project *p, const char *header) {
    for (size_t i = 0; i < p->standins.n; i++)
        if (strcmp(p->standins.v[i].header, header) == 0) return &p->standins.v[i];
    return NULL;
}

/* ---- splitting ---------------------------------------------------------- */

static void test_split(void) {
    check_split("gcc  -c\tfoo.c", 0, "gcc -c foo.c");
    check_split("", 0, "");
    check_split("   ", 0, "");
    check_split("cc 'a b' c", 0, "cc a b c");
    check_split("cc -DX='\"q\"'", 0, "cc -DX=\"q\"");
    check_split("cc \"-DMSG=\\\"hi there\\\"\"", 0, "cc -DMSG=\"hi there\"");
    /* inside double quotes only $ ` " \ and newline are escaped */
    check_split("cc \"a\\nb\" \"\\$x\"", 0, "cc a\\nb $x");
    check_split("cc a\\ b \\'c", 0, "cc a b 'c");
    check_split("cc \\\n -c", 0, "cc -c");
    check_split("cc x\\", 0, "cc x\\");
    check_split("cc pre'mid'\"post\"", 0, "cc premidpost");

    strvec sv = {0};
    CHECK_INT(project_split_command("cc ''", &sv), 0);
    CHECK_INT(sv.n, 2);
    if (sv.n == 2) CHECK_STR(sv.v[1], "");
    strvec_free(&sv);

    check_split("cc -c 'foo.c", -1, "cc -c");
    check_split("cc \"foo.c", -1, "cc");
    check_split("cc \"a\\\"", -1, "cc");
}

/* ---- cleaning ----------------------------------------------------------- */

/* Cleans argv (no readable-folder check when readable is NULL) and
 * checks the arguments kept and the count dropped. */
static void check_clean_in(const char *const *argv, const char *source, const char *dir,
                           const strvec *readable, const char *want, size_t want_dropped) {
    strvec in = words(argv), out = {0};
    CHECK_INT(project_clean_args(&in, source, dir, readable, &out, NULL), want_dropped);
    char *got = joined(&out);
    CHECK_STR(got, want);
    free(got);
    strvec_free(&in);
    strvec_free(&out);
}

static void check_clean(const char *const *argv, const char *source, const char *want,
                        size_t want_dropped) {
    check_clean_in(argv, source, "/proj", NULL, want, want_dropped);
}

static void test_clean(void) {
    /* every dropped flag, one by one: counted, but for the compile step */
    static const char *const dropped[] = {
        "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-MFdep.d",
        "-MTtarget", "-Werror", "-Werror=format-security", "-pedantic-errors",
        "-Wfatal-errors", "-save-temps", "-save-temps=obj", "-pipe",
        "-fcallgraph-info", "-fcallgraph-info=su,da", "-Wp,-MD,dep.d",
        "-Wp,-MMD,x.d", "-fno-var-tracking-assignments", "-fvar-tracking",
        "-fconserve-stack", "-fno-allow-store-data-races", "-fipa-pta",
        "-fno-ipa-cp-clone", "-ftree-loop-distribution", "-fno-tree-pre",
        "-flto=4", "-flto-partition=none", "-fdump-tree-all", "-fopt-info-vec",
        "-fsched-pressure", "-fstack-reuse=none", "-fzero-call-used-regs=used-gpr",
        "-mindirect-branch=thunk-extern", "-mindirect-branch-register",
        "-mfunction-return=thunk-extern", "-mpreferred-stack-boundary=3",
        "-mrecord-mcount", "-fno-guess-branch-probability", "-fplan9-extensions",
        "-fdiagnostics-format=json",
        /* what used to pass: harmless to a parse, but not needed by one */
        "-Wall", "-Wno-maybe-uninitialized", "-w", "-pedantic", "-g", "-ggdb3",
        "-fno-strict-aliasing", "-mno-red-zone", "-mtune=native", "-flto=auto",
        "-ffat-lto-objects", "-fmerge-constants", "-Wp,-D_FORTIFY_SOURCE=2",
        "-ffile-prefix-map=/a=.", "-fsanitize=address", "-v", "-H",
        /* the attacks of issue 16: files written, read or loaded */
        "--write-dependencies", "--write-user-dependencies", "-fmodules",
        "-fmodules-cache-path=/tmp/x", "-fmodule-map-file=/etc/x", "-ftime-trace",
        "-fcrash-diagnostics-dir=/tmp", "-fplugin=/tmp/p.so", "-fprofile-use=/etc/x",
        "-fsanitize-ignorelist=/etc/x", "@args.rsp", "stray", "lib.a", "b.c", NULL};
    for (size_t i = 0; dropped[i]; i++) {
        const char *argv[] = {"gcc", dropped[i], "-DKEPT", "a.c", NULL};
        check_clean(argv, "a.c", "-DKEPT", 1);
    }
    /* the compile step itself is dropped without a count */
    const char *step[] = {"gcc", "-c", "-o", "a.o", "-oother.o", "a.c", "-DKEPT", NULL};
    check_clean(step, "a.c", "-DKEPT", 0);
    /* dropped with their separate value, each pair counted once */
    const char *sep[] = {"gcc", "-MF", "a.d", "-MT", "a.o", "-MQ", "$(x)", "-MJ", "a.json",
                         "-Xclang", "-dependency-file", "-Xclang", "/some/file",
                         "-Xclang", "-header-include-file", "-Xclang", "/p",
                         "-Xpreprocessor", "-MD", "--config", "/etc/cfg", "-mllvm", "-x",
                         "-include-pch", "x.pch", "-ivfsoverlay", "o.yaml", "-load", "p.so",
                         "-DKEPT", "a.c", NULL};
    check_clean(sep, "a.c", "-DKEPT", 14);

    /* kept verbatim, values included even when they look like inputs */
    const char *kept[] = {"cc", "-DX=1", "-D", "Y", "-UZ", "-Iinc", "-I", "../inc",
                          "-include", "cfg.h", "-imacros", "m.h", "-isystem", "sys",
                          "-iquote", "q", "-idirafter", "late", "--sysroot=/sr", "-std=gnu99",
                          "-x", "c", "-ansi", "-fPIC", "-m64", "-O2", "-Os", "-O", "-msse4.2",
                          "-mno-avx", "-mavx512f", "-march=x86-64", "-target", "x86_64-linux-gnu",
                          "--target=x86_64-linux-gnu", "-fno-builtin-printf", "-pthread",
                          "-funsigned-char", "-fms-extensions", "-fgnu89-inline", "-nostdinc",
                          "-fstack-protector-strong", "-undef", "src/a.c", NULL};
    check_clean(kept, "src/a.c",
                "-DX=1 -D Y -UZ -Iinc -I ../inc -include cfg.h -imacros m.h -isystem sys "
                "-iquote q -idirafter late --sysroot=/sr -std=gnu99 -x c -ansi -fPIC -m64 -O2 "
                "-Os -O -msse4.2 -mno-avx -mavx512f -march=x86-64 -target x86_64-linux-gnu "
                "--target=x86_64-linux-gnu -fno-builtin-printf -pthread -funsigned-char "
                "-fms-extensions -fgnu89-inline -nostdinc -fstack-protector-strong -undef",
                0);

    /* a launcher goes with the compiler; other inputs of the line are counted */
    const char *launch[] = {"/usr/bin/ccache", "gcc", "-c", "/abs/src/a.c", "b.c", "lib.a",
                            "-DK", NULL};
    check_clean(launch, "src/a.c", "-DK", 3);
    /* clang 14 spells C23 as c2x; --std= is GCC's spelling */
    const char *c23[] = {"gcc", "-std=gnu23", "-std=c23", "--std=c99", "--std=gnu23", "a.c", NULL};
    check_clean(c23, "a.c", "-std=gnu2x -std=c2x -std=c99 -std=gnu2x", 0);
    /* the source spelt otherwise than in "file" is still the source */
    const char *spelt[] = {"gcc", "-c", "lapi.c", "./src/../lapi.c", NULL};
    check_clean(spelt, "/proj/lapi.c", "", 0);
    /* nothing at all */
    const char *only[] = {"gcc", NULL};
    check_clean(only, "a.c", "", 0);
}

/* Include paths and files only from the readable folders, joined or apart,
 * relative to the entry's directory; the dropped ones named with their
 * folder, each option once.  Paths are compared as written: a link inside
 * the project that leads out (etclink) is caught when a unit reads
 * through it, by the front end. */
static void test_clean_confined(void) {
    char *dir = make_tmpdir();
    put(dir, "src/a.c", "int a;\n");
    put(dir, "inc/x.h", "\n");
    char *link = path_join(dir, "etclink");
    REQUIRE(symlink("/etc", link) == 0);
    strvec readable = {0};
    strvec_push(&readable, dir);
    char *src = path_join(dir, "src");
    const char *argv[] = {"cc", "-I../inc", "-I", "../inc", "-I/etc", "-I", "/etc",
                          "-I../../../../../../../../x", "-I../etclink", "-isystem/usr/include",
                          "-include", "/etc/passwd", "-include", "cfg.h", "-imacros",
                          "../inc/x.h", "--sysroot=/", "-iquote", "../inc", "a.c", NULL};
    check_clean_in(argv, "a.c", src, &readable,
                   "-I../inc -I ../inc -I../etclink -include cfg.h -imacros ../inc/x.h "
                   "-iquote ../inc",
                   6);
    strvec in = words(argv), out = {0}, names = {0};
    project_clean_args(&in, "a.c", src, &readable, &out, &names);
    const char *want[] = {"-I/etc", "-I/x", "-include/etc/passwd", "-isystem/usr/include",
                          "--sysroot=/"}; /* a path as given, normalized */
    CHECK_INT(names.n, 5);
    for (size_t i = 0; i < 5; i++) CHECK(strvec_contains(&names, want[i]));
    free(link);
    strvec_free(&names);
    strvec_free(&out);
    strvec_free(&in);
    strvec_free(&readable);
    free(src);
    rm_tree(dir);
    free(dir);
}

/* ---- compilation databases ---------------------------------------------- */

static void test_compdb_forms(void) {
    char *dir = make_tmpdir();
    put(dir, "src/a.c", "int a;\n");
    put(dir, "src/sub/b.c", "int b;\n");
    put(dir, "c.c", "int c;\n");
    put(dir, "compile_commands.json",
        "[\n"
        "  {\"directory\": \"src\", \"file\": \"sub/b.c\",\n"
        "   \"command\": \"cc -c -o b.o -DNAME=\\\"x y\\\" -I../inc sub/b.c\"},\n"
        "  {\"directory\": \".\", \"file\": \"c.c\", \"output\": \"c.o\",\n"
        "   \"arguments\": [\"gcc\", \"-MD\", \"-MF\", \"c.d\", \"-std=c99\", \"-c\", \"c.c\"]},\n"
        "  {\"directory\": \"DIR/src\", \"file\": \"DIR/src/a.c\",\n"
        "   \"arguments\": [\"cc\", \"-Werror\", \"-DA\", \"DIR/src/a.c\"]}\n"
        "]\n");
    /* the third entry uses absolute paths: rewrite DIR */
    char *text = slurp(dir, "compile_commands.json");
    char *fixed = xcalloc(1, strlen(text) + 4 * strlen(dir) + 1);
    for (char *t = text, *o = fixed; *t;) {
        if (strncmp(t, "DIR", 3) == 0) {
            o += sprintf(o, "%s", dir);
            t += 3;
        } else {
            *o++ = *t++;
        }
    }
    put(dir, "compile_commands.json", fixed);
    free(text);
    free(fixed);

    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    CHECK(err == NULL);
    REQUIRE(p != NULL);
    char *dbpath = path_join(dir, "compile_commands.json");
    CHECK_STR(p->root, dir);
    CHECK_STR(p->db_path, dbpath);
    free(dbpath);
    CHECK_INT(p->jobs.n, 3);
    CHECK_INT(p->skipped, 0);
    CHECK(p->standin_dir == NULL);
    if (p->jobs.n == 3) {
        char *want;
        /* sorted by file: c.c, src/a.c, src/sub/b.c */
        want = path_join(dir, "c.c");
        CHECK_STR(p->jobs.v[0].file, want);
        free(want);
        CHECK_STR(p->jobs.v[0].directory, dir);
        char *args = joined(&p->jobs.v[0].args);
        CHECK_STR(args, "-std=c99");
        free(args);

        want = path_join(dir, "src/a.c");
        CHECK_STR(p->jobs.v[1].file, want);
        free(want);
        args = joined(&p->jobs.v[1].args);
        CHECK_STR(args, "-DA");
        free(args);

        want = path_join(dir, "src/sub/b.c");
        CHECK_STR(p->jobs.v[2].file, want);
        free(want);
        want = path_join(dir, "src");
        CHECK_STR(p->jobs.v[2].directory, want);
        free(want);
        args = joined(&p->jobs.v[2].args);
        CHECK_STR(args, "-DNAME=x y -I../inc");
        free(args);
    }
    project_free(p);

    /* the database file itself as PATH, and through -p */
    char *db = path_join(dir, "compile_commands.json");
    p = NULL;
    CHECK_INT(project_open(db, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_STR(p->root, dir);
    CHECK_INT(p->jobs.n, 3);
    project_free(p);
    free(db);
    rm_tree(dir);
    free(dir);
}

static void test_compdb_build_dir(void) {
    char *dir = make_tmpdir();
    put(dir, "src/a.c", "int a;\n");
    put(dir, "build/compile_commands.json",
        "[{\"directory\": \".\", \"file\": \"../src/a.c\", \"command\": \"cc -c ../src/a.c\"}]");
    char *build = path_join(dir, "build");
    char *src = path_join(dir, "src");
    char *a = path_join(dir, "src/a.c");
    project *p = NULL;
    char *err = NULL;

    /* -p names the folder holding the database; the root stays PATH */
    project_options opt = {build, NULL};
    CHECK_INT(project_open(src, &opt, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_STR(p->root, src);
    CHECK_INT(p->jobs.n, 1);
    if (p->jobs.n == 1) {
        CHECK_STR(p->jobs.v[0].file, a);
        CHECK_STR(p->jobs.v[0].directory, build);
        CHECK_INT(p->jobs.v[0].args.n, 0);
    }
    project_free(p);

    /* a database given directly: the root widens to hold the sources, up
     * to the current directory */
    char *db = path_join(build, "compile_commands.json");
    char *cwd = getcwd(NULL, 0);
    REQUIRE(cwd != NULL && chdir(dir) == 0);
    p = NULL;
    CHECK_INT(project_open(db, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_STR(p->root, dir);
    CHECK_INT(p->jobs.n, 1);
    project_free(p);
    /* ... and no further: from build/, ../src/a.c lies outside, refused */
    REQUIRE(chdir(build) == 0);
    p = NULL;
    CHECK_INT(project_open(db, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_STR(p->root, build);
    CHECK_INT(p->jobs.n, 0);
    CHECK_INT(p->warnings.n, 1);
    char *refused = xasprintf("%s:1:2: entry 1: %s: outside the project (%s); not read", db, a,
                              build);
    if (p->warnings.n == 1) CHECK_STR(p->warnings.v[0], refused);
    free(refused);
    project_free(p);
    /* --allow-dir lets it be read (it stays outside the root) */
    strvec allow = {0};
    strvec_push(&allow, src);
    project_options allowed = {NULL, &allow};
    p = NULL;
    CHECK_INT(project_open(db, &allowed, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_INT(p->jobs.n, 1);
    CHECK_INT(p->warnings.n, 0);
    project_free(p);
    strvec_free(&allow);
    REQUIRE(chdir(cwd) == 0);
    free(cwd);

    /* -p without a database */
    p = NULL;
    opt.build_dir = src;
    CHECK_INT(project_open(dir, &opt, &p, &err), -1);
    CHECK(p == NULL);
    char *want = xasprintf("%s: no compile_commands.json in this build directory", src);
    CHECK_STR(err, want);
    free(want);
    free(err);

    free(db);
    free(a);
    free(src);
    free(build);
    rm_tree(dir);
    free(dir);
}

static void test_compdb_skips(void) {
    char *dir = make_tmpdir();
    put(dir, "compile_commands.json",
        "[\n"
        " {\"directory\": \".\", \"file\": \"a.c\", \"command\": \"cc -fPIC -DPIC -c a.c\"},\n"
        " {\"directory\": \".\", \"file\": \"a.c\", \"command\": \"cc -c a.c\"},\n"
        " {\"directory\": \".\", \"file\": \"./a.c\", \"command\": \"cc -c ./a.c\"},\n"
        " {\"directory\": \".\", \"file\": \"b.cpp\", \"command\": \"c++ -c b.cpp\"},\n"
        " {\"directory\": \".\", \"file\": \"c.c\", \"command\": \"g++ -c c.c\"},\n"
        " {\"directory\": \".\", \"file\": \"d.c\", \"command\": \"cc -x c++ -c d.c\"},\n"
        " {\"directory\": \".\", \"file\": \"e.h\", \"command\": \"cc -c e.h\"},\n"
        " {\"directory\": \".\", \"file\": \"f.S\", \"command\": \"cc -c f.S\"},\n"
        " {\"directory\": \".\", \"file\": \"g.inc\", \"command\": \"cc -x c -c g.inc\"}\n"
        "]\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_INT(p->jobs.n, 2);
    CHECK_INT(p->skipped, 7);
    if (p->jobs.n == 2) {
        /* two builds of a.c: the one without -fPIC -DPIC agrees with the
         * other file's entry (g.inc); its repeat is the same build */
        char *args = joined(&p->jobs.v[0].args);
        CHECK_STR(args, "");
        free(args);
        CHECK_STR(path_basename(p->jobs.v[1].file), "g.inc");
        args = joined(&p->jobs.v[1].args);
        CHECK_STR(args, "-x c");
        free(args);
    }
    CHECK_INT(p->builds.n, 1);
    if (p->builds.n == 1) {
        const project_build *b = &p->builds.v[0];
        CHECK_STR(b->file, "a.c");
        CHECK_INT(b->builds, 2);
        CHECK_INT(b->entry, 2);
        CHECK_INT(b->with.n, 0);
        char *without = joined(&b->without);
        CHECK_STR(without, "-DPIC -fPIC");
        free(without);
        CHECK_INT(b->agree, 2);
        CHECK_INT(b->of, 2);
    }
    project_free(p);
    rm_tree(dir);
    free(dir);
}

/* Opens dir holding a database with `json`; checks the error message. */
static void check_db_error(const char *json, const char *want_tail) {
    char *dir = make_tmpdir();
    put(dir, "compile_commands.json", json);
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), -1);
    CHECK(p == NULL);
    char *want = xasprintf("%s/compile_commands.json:%s", dir, want_tail);
    CHECK_STR(err, want);
    free(want);
    free(err);
    rm_tree(dir);
    free(dir);
}

/* One build of a file: the one whose distinguishing options agree with
 * most entries of the other files, option by option; a tie goes to the
 * earlier entry.  Files the database does not compile are listed. */
static void test_compdb_builds(void) {
    char *dir = make_tmpdir();
    put(dir, "compile_commands.json",
        "[\n"
        " {\"directory\": \".\", \"file\": \"port/str.c\", \"command\": \"cc -DCLIENT -Iinc -c port/str.c\"},\n"
        " {\"directory\": \".\", \"file\": \"srv/a.c\", \"command\": \"cc -Iinc -DNDEBUG -c srv/a.c\"},\n"
        " {\"directory\": \".\", \"file\": \"port/str.c\", \"command\": \"cc -Iinc -c port/str.c\"},\n"
        " {\"directory\": \".\", \"file\": \"srv/b.c\", \"command\": \"cc -Iinc -c srv/b.c\"},\n"
        " {\"directory\": \".\", \"file\": \"tie.c\", \"command\": \"cc -DX -c tie.c\"},\n"
        " {\"directory\": \".\", \"file\": \"tie.c\", \"command\": \"cc -DY -c tie.c\"},\n"
        " {\"directory\": \"srv\", \"file\": \"c.c\", \"command\": \"cc -c c.c\"},\n"
        " {\"directory\": \".\", \"file\": \"srv/c.c\", \"command\": \"cc -c srv/c.c\"}\n"
        "]\n");
    put(dir, "port/str.c", "int str;\n");
    put(dir, "srv/a.c", "#include \"part.c\"\n");
    put(dir, "srv/part.c", "int part;\n");
    put(dir, "srv/b.c", "int b;\n");
    put(dir, "srv/c.c", "int c;\n");
    put(dir, "tie.c", "int tie;\n");
    put(dir, "win/w32.c", "int w32;\n");
    put(dir, "gram/parse.y", "%%\n");
    put(dir, "gram/scan.l", "%%\n");
    put(dir, "gram/scan.c", "int scan;\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_INT(p->jobs.n, 5);
    CHECK_INT(p->skipped, 3);
    CHECK_INT(p->builds.n, 3);
    if (p->jobs.n == 5 && p->builds.n == 3) {
        CHECK_STR(path_basename(p->jobs.v[0].file), "str.c");
        char *args = joined(&p->jobs.v[0].args);
        CHECK_STR(args, "-Iinc");
        free(args);
        const project_build *b = &p->builds.v[0];
        CHECK_STR(b->file, "port/str.c");
        CHECK_INT(b->builds, 2);
        CHECK_INT(b->entry, 3);
        CHECK_INT(b->with.n, 0);
        char *without = joined(&b->without);
        CHECK_STR(without, "-DCLIENT");
        free(without);
        /* srv/a.c, srv/b.c, tie.c twice, srv/c.c twice: none has -DCLIENT */
        CHECK_INT(b->agree, 6);
        CHECK_INT(b->of, 6);
        /* srv/c.c from two folders: two builds that differ in nothing
         * else; the first */
        CHECK_STR(p->builds.v[1].file, "srv/c.c");
        CHECK_INT(p->builds.v[1].entry, 7);
        CHECK_INT(p->builds.v[1].of, 0);
        /* -DX and -DY: nobody else has either, a tie: the earlier */
        CHECK_STR(p->builds.v[2].file, "tie.c");
        CHECK_INT(p->builds.v[2].entry, 5);
        args = joined(&p->jobs.v[4].args);
        CHECK_STR(args, "-DX");
        free(args);
    }
    /* the builds not chosen, kept for the programs that link them */
    CHECK_INT(p->alts.n, 3);
    if (p->alts.n == 3) {
        CHECK_STR(path_basename(p->alts.v[0].file), "str.c");
        CHECK_INT(p->alts.v[0].entry, 1);
        char *args = joined(&p->alts.v[0].args);
        CHECK_STR(args, "-DCLIENT -Iinc");
        free(args);
        CHECK(project_args_define(&p->alts.v[0].args, "CLIENT"));
        CHECK(!project_args_define(&p->jobs.v[0].args, "CLIENT"));
        CHECK_INT(p->alts.v[1].entry, 8);
        CHECK_INT(p->alts.v[2].entry, 6);
    }
    /* the macros that tell builds apart, given to every job */
    char *macros = joined(&p->build_macros);
    CHECK_STR(macros, "CLIENT X Y");
    free(macros);
    if (p->jobs.n == 5) {
        macros = joined(&p->jobs.v[1].macros);
        CHECK_STR(macros, "CLIENT X Y");
        free(macros);
    }
    /* not compiled: the .c files with no entry but the one a unit
     * includes (the scan drops it: project.h); grammars whose C is missing */
    CHECK_INT(p->unseen.n, 4);
    if (p->unseen.n == 4) {
        CHECK_STR(p->unseen.v[0].file, "gram/parse.y");
        CHECK_INT(p->unseen.v[0].kind, UNSEEN_GRAMMAR);
        CHECK_STR(p->unseen.v[1].file, "gram/scan.c");
        CHECK_INT(p->unseen.v[1].kind, UNSEEN_NO_ENTRY);
        CHECK_STR(p->unseen.v[2].file, "srv/part.c");
        CHECK_STR(p->unseen.v[3].file, "win/w32.c");
    }
    project_free(p);
    rm_tree(dir);
    free(dir);
}

/* A database listing one file in more ways than PROJECT_BUILDS_MAX: the
 * first that many are told apart, the rest skipped with one warning. */
static void test_compdb_many_builds(void) {
    char *dir = make_tmpdir();
    strbuf db = {0};
    strbuf_add(&db, "[\n");
    for (int i = 0; i < PROJECT_BUILDS_MAX + 4; i++)
        strbuf_printf(&db, "%s {\"directory\": \".\", \"file\": \"a.c\", \"command\": "
                           "\"cc -DV%d -c a.c\"}\n", i ? "," : "", i);
    strbuf_add(&db, "]\n");
    put(dir, "compile_commands.json", db.v);
    put(dir, "a.c", "int a;\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_INT(p->jobs.n, 1);
    REQUIRE(p->builds.n == 1);
    CHECK_INT(p->builds.v[0].builds, PROJECT_BUILDS_MAX);
    CHECK_INT(p->alts.n, PROJECT_BUILDS_MAX - 1);
    CHECK_INT(p->skipped, PROJECT_BUILDS_MAX + 3);
    REQUIRE(p->warnings.n == 1);
    CHECK(strstr(p->warnings.v[0], "a.c: compiled in more than 8 ways; 4 entries of other builds "
                                   "are not considered") != NULL);
    project_free(p);
    free(db.v);
    rm_tree(dir);
    free(dir);
}

static void test_compdb_errors(void) {
    check_db_error("[\n  {\"directory\": \".\",\n   \"file\": tru}\n]\n",
                   "3:12: malformed JSON near 't'");
    check_db_error("[\n  {\"directory\": \".\",\n", "3:1: malformed JSON: unexpected end of file");
    check_db_error("\n  {\"directory\": \".\"}", "2:3: expected an array of compile commands");
    check_db_error("[\n  {\"directory\": \".\", \"file\": \"a.c\", \"command\": \"cc a.c\"},\n"
                   "  {\"directory\": \".\",\n   \"command\": \"cc b.c\"}\n]",
                   "3:3: entry 2: missing \"file\" string");
    check_db_error("[{\"file\": \"a.c\", \"command\": \"cc a.c\"}]",
                   "1:2: entry 1: missing \"directory\" string");
    check_db_error("[ {\"directory\": \".\", \"file\": \"a.c\"}]",
                   "1:3: entry 1: missing \"arguments\" or \"command\"");
    check_db_error("[{\"directory\": \".\", \"file\": \"a.c\", \"command\": \"cc 'a.c\"}]",
                   "1:2: entry 1: unterminated quote in \"command\"");
    check_db_error("[{\"directory\": \".\", \"file\": \"a.c\", \"arguments\": [\"cc\", 1]}]",
                   "1:2: entry 1: \"arguments\" is not an array of strings");
    check_db_error("[{\"directory\": \".\", \"file\": \"a.c\", \"arguments\": []}]",
                   "1:2: entry 1: \"arguments\" is empty");
    /* strings holding braces do not confuse the entry positions */
    check_db_error("[{\"directory\": \"{[\\\"\", \"file\": \"a.c\", \"command\": \"cc a.c\"},\n 7]",
                   "2:2: entry 2: not an object");
}

static void test_open_errors(void) {
    char *dir = make_tmpdir();
    project *p = NULL;
    char *err = NULL;
    char *missing = path_join(dir, "nope");
    CHECK_INT(project_open(missing, NULL, &p, &err), -1);
    char *want = xasprintf("%s: %s", missing, strerror(ENOENT));
    CHECK_STR(err, want);
    free(want);
    free(err);

    put(dir, "x.c", "int x;\n");
    char *file = path_join(dir, "x.c");
    CHECK_INT(project_open(file, NULL, &p, &err), -1);
    want = xasprintf("%s: not a directory or a compile_commands.json file", file);
    CHECK_STR(err, want);
    free(want);
    free(err);
    CHECK(p == NULL);
    free(file);
    free(missing);
    rm_tree(dir);
    free(dir);
}

/* ---- the tree walk ------------------------------------------------------ */

/* Every path under dir with its size, to prove the walk wrote nothing. */
static strvec listing;
static size_t listing_root;

static int list_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)flag;
    (void)ftw;
    strvec_push_owned(&listing, xasprintf("%s %lld", path + listing_root, (long long)sb->st_size));
    return 0;
}

static char *snapshot(const char *dir) {
    listing_root = strlen(dir);
    nftw(dir, list_entry, 16, FTW_PHYS);
    strvec_sort(&listing);
    char *s = joined(&listing);
    strvec_free(&listing);
    return s;
}

static void test_srctree(void) {
    char *dir = make_tmpdir();
    put(dir, "config.h.in",
        "/* config.h.in.  Generated from configure.ac by autoheader.  */\n"
        "#undef HAVE_STDLIB_H\n"
        "#undef HAVE_SYS_TIME_H\n"
        "#undef HAVE_NO_SUCH_HEADER_XYZZY_H\n"
        "#undef ENABLE_FOO\n"
        "#undef SIZEOF_LONG\n"
        "#undef SIZEOF_VOID_P\n"
        "#undef const\n"
        "#undef PACKAGE_VERSION\n"
        "/* defined always when using configure */\n"
        "#undef UNIX\n"
        "/* Define to `struct sigaltstack' if <signal.h> doesn't define.  */\n"
        "#undef stack_t\n"
        "#ifndef _GNU_SOURCE\n"
        "# undef USE_BAR\n"
        "#endif\n"
        "#include \"config-bot.h\"\n");
    put(dir, "config-bot.h", "/* present */\n");
    put(dir, "src/main.c",
        "#ifdef HAVE_CONFIG_H\n"
        "#  include <config.h>\n"
        "#endif\n"
        "#include <stdio.h>\n"
        "#include \"stdlib.h\"\n"
        "#include <nosuch_lib_xyzzy.h>\n"
        "#include \"gen/version.h\"\n"
        "#include \"../sibling.h\"\n"
        "#include \"util.h\"\n"
        "#include \"api/api.h\"\n"
        "#include \"rl/rl.h\"\n"
        "int main(void) { return 0; }\n");
    put(dir, "src/util.h", "#include \"feat.h\"\n");
    put(dir, "src/util.c", "#include \"util.h\"\n");
    put(dir, "include/api/api.h", "int api(void);\n");
    put(dir, "vendor/rl/rl.h", "int rl(void);\n");
    put(dir, "lib/feat.h.in",
        "#cmakedefine HAVE_ZZZ 1\n"
        "#cmakedefine01 ENABLE_Q\n"
        "#cmakedefine01 OTHER\n"
        "#cmakedefine PACKAGE \"@PACKAGE@\"\n"
        "#define V \"@VERSION@\"\n"
        "#define N @NUM@\n"
        "#define S ${SIZEOF_INT}\n");
    /* folders the walk must not enter */
    put(dir, "build/gen.c", "int gen;\n");
    put(dir, ".hidden/h.c", "int h;\n");
    put(dir, "node_modules/m.c", "int m;\n");
    put(dir, "cmake-build-debug/d.c", "int d;\n");
    put(dir, "CVS/v.c", "int v;\n");
    char *target = path_join(dir, "src");
    char *link = path_join(dir, "linked");
    CHECK_INT(symlink(target, link), 0);
    free(target);
    free(link);

    char *before = snapshot(dir);
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    CHECK(err == NULL);
    char *after = snapshot(dir);
    CHECK_STR(after, before);
    free(before);
    free(after);
    REQUIRE(p != NULL);

    CHECK(p->db_path == NULL);
    CHECK_INT(p->jobs.n, 2);
    if (p->jobs.n == 2) {
        char *want = path_join(dir, "src/main.c");
        CHECK_STR(p->jobs.v[0].file, want);
        free(want);
        want = path_join(dir, "src");
        CHECK_STR(p->jobs.v[0].directory, want);
        free(want);
        want = path_join(dir, "src/util.c");
        CHECK_STR(p->jobs.v[1].file, want);
        free(want);
    }

    /* stand-ins: sorted by header */
    CHECK(p->standin_dir != NULL);
    CHECK(path_relative(dir, p->standin_dir ? p->standin_dir : dir) == NULL);
    CHECK_INT(p->standins.n, 4);
    const project_standin *cfg = standin(p, "config.h");
    const project_standin *ver = standin(p, "gen/version.h");
    const project_standin *sib = standin(p, "sibling.h");
    const project_standin *feat = standin(p, "lib/feat.h");
    CHECK(standin(p, "nosuch_lib_xyzzy.h") == NULL);
    CHECK(cfg && ver && sib && feat);
    if (p->standins.n == 4) CHECK_STR(p->standins.v[0].header, "config.h");
    if (cfg && ver && sib && feat && p->standin_dir) {
        CHECK_STR(cfg->from, "config.h.in");
        CHECK_INT(cfg->switches, 7);
        CHECK(ver->from == NULL);
        CHECK_INT(ver->switches, 0);
        CHECK(sib->from == NULL);
        CHECK_STR(feat->from, "lib/feat.h.in");
        CHECK_INT(feat->switches, 3);

        char *c = slurp(p->standin_dir, "config.h");
        REQUIRE(c != NULL);
        CHECK(strstr(c, "\n#define HAVE_STDLIB_H 1\n") != NULL);
        CHECK(strstr(c, "\n#define HAVE_SYS_TIME_H 1\n") != NULL);
        CHECK(strstr(c, "\n/* #undef HAVE_NO_SUCH_HEADER_XYZZY_H */\n") != NULL);
        CHECK(strstr(c, "\n#define ENABLE_FOO 1\n") != NULL);
        CHECK(strstr(c, "\n#define SIZEOF_LONG 8\n") != NULL);
        CHECK(strstr(c, "\n#define SIZEOF_VOID_P 8\n") != NULL);
        CHECK(strstr(c, "\n/* #undef const */\n") != NULL);
        CHECK(strstr(c, "\n/* #undef PACKAGE_VERSION */\n") != NULL);
        /* what configure always defines is on (Vim's UNIX); a fallback for
         * a type the C library declares stays off (glibc's stack_t) */
        CHECK(strstr(c, "\n#define UNIX 1\n") != NULL);
        CHECK(strstr(c, "\n/* #undef stack_t */\n") != NULL);
        CHECK(strstr(c, "\n#define USE_BAR 1\n") != NULL);
        CHECK(strstr(c, "\n#include \"config-bot.h\"\n") != NULL);
        free(c);
        c = slurp(p->standin_dir, "lib/feat.h");
        REQUIRE(c != NULL);
        CHECK(strstr(c, "\n#define HAVE_ZZZ 1\n") != NULL);
        CHECK(strstr(c, "\n#define ENABLE_Q 1\n") != NULL);
        CHECK(strstr(c, "\n#define OTHER 0\n") != NULL);
        CHECK(strstr(c, "\n/* #undef PACKAGE */\n") != NULL);
        CHECK(strstr(c, "\n#define V \"\"\n") != NULL);
        CHECK(strstr(c, "\n#define N 0\n") != NULL);
        CHECK(strstr(c, "\n#define S 4\n") != NULL);
        free(c);
        CHECK(exists_in(p->standin_dir, "gen/version.h"));
        CHECK(exists_in(p->standin_dir, "sibling.h"));
        CHECK(exists_in(p->standin_dir, "src"));
    }

    /* include paths: the mirrors first, then the tree's folders, sorted */
    if (p->jobs.n == 2 && p->standin_dir) {
        const char *sd = p->standin_dir;
        char *want = xasprintf("-I%s -I%s/lib -I%s/src -I%s -I%s/include -I%s/include/api "
                               "-I%s/src -I%s/vendor -I%s/vendor/rl -DHAVE_CONFIG_H",
                               sd, sd, sd, dir, dir, dir, dir, dir, dir);
        char *args = joined(&p->jobs.v[0].args);
        CHECK_STR(args, want);
        free(args);
        args = joined(&p->jobs.v[1].args);
        CHECK_STR(args, want);
        free(args);
        free(want);
    }

    /* project_free removes the stand-ins */
    char *sd = p->standin_dir ? xstrdup(p->standin_dir) : NULL;
    project_free(p);
    if (sd) {
        struct stat st;
        CHECK(stat(sd, &st) != 0 && errno == ENOENT);
    }
    free(sd);
    rm_tree(dir);
    free(dir);
}

/* What else an unconfigured tree needs: @VAR@ build options in #if lines
 * switched on, a generated header some other platform's copy would
 * shadow, a header the build writes without a template (nginx includes
 * its own with angle brackets), grammars whose C is missing. */
static void test_srctree_generated(void) {
    char *dir = make_tmpdir();
    put(dir, "inc/proj/features.h.in",
        "#define PROJ_VERSION \"@VERSION@\"\n"
        "#if @WITH_THREADS@\n#define PROJ_THREADS\n#endif\n"
        "#if @WITH_ZIP@ == 1\n#define PROJ_ZIP\n#elif @WITH_GZ@\n#define PROJ_GZ\n#endif\n"
        "#if @WITH_MEM_DEBUG@\n#define PROJ_MEMDEBUG\n#endif\n"
        "#if @NO_LOCKS@\n#define PROJ_NOLOCKS\n#endif\n"
        "#if @HAVE_NO_SUCH_XYZZY_H@\n#define PROJ_XYZZY\n#endif\n"
        "#if @SIZEOF_LONG@ == 8\n#define PROJ_LP64\n#endif\n"
        "#define PROJ_N @NUM@\n");
    put(dir, "config.h.in", "/* Generated from configure.ac by autoheader.  */\n#undef HAVE_STDLIB_H\n");
    put(dir, "win32/config.h", "#include <windows.h>\n");
    put(dir, "configure", "NGX_AUTO=$OBJS/proj_auto.h\necho '#include <otherlib.h>'\n");
    put(dir, "src/proj_core.h", "#include <proj_auto.h>\n#include <proj_other.h>\n");
    put(dir, "src/main.c",
        "#include \"config.h\"\n#include <proj/features.h>\n#include \"proj_core.h\"\n"
        "#include <otherlib.h>\n");
    put(dir, "src/parse.y", "%%\n");
    put(dir, "src/lex.l", "%%\n");
    put(dir, "src/lex.yy.c", "int lex;\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_INT(p->standins.n, 3);
    const project_standin *cfg = standin(p, "config.h");
    const project_standin *feat = standin(p, "inc/proj/features.h");
    const project_standin *aut = standin(p, "proj_auto.h");
    CHECK(cfg && feat && aut);
    /* no family (otherlib), not named by the build (proj_other): not ours */
    CHECK(standin(p, "otherlib.h") == NULL && standin(p, "proj_other.h") == NULL);
    if (cfg && feat && aut && p->standin_dir) {
        CHECK_STR(cfg->from, "config.h.in");
        CHECK(aut->from == NULL);
        /* WITH_THREADS, WITH_ZIP, WITH_GZ, SIZEOF_LONG */
        CHECK_INT(feat->switches, 4);
        char *c = slurp(p->standin_dir, "inc/proj/features.h");
        REQUIRE(c != NULL);
        CHECK(strstr(c, "\n#define PROJ_VERSION \"\"\n") != NULL);
        CHECK(strstr(c, "\n#if 1\n#define PROJ_THREADS\n") != NULL);
        CHECK(strstr(c, "\n#if 1 == 1\n#define PROJ_ZIP\n#elif 1\n") != NULL);
        CHECK(strstr(c, "\n#if 0\n#define PROJ_MEMDEBUG\n") != NULL);
        CHECK(strstr(c, "\n#if 0\n#define PROJ_NOLOCKS\n") != NULL);
        CHECK(strstr(c, "\n#if 0\n#define PROJ_XYZZY\n") != NULL);
        CHECK(strstr(c, "\n#if 8 == 8\n#define PROJ_LP64\n") != NULL);
        CHECK(strstr(c, "\n#define PROJ_N 0\n") != NULL);
        free(c);
    }
    /* the stand-in config.h comes before win32/config.h */
    if (p->jobs.n >= 1 && p->standin_dir) {
        char *args = joined(&p->jobs.v[0].args);
        char *first = xasprintf("-I%s ", p->standin_dir);
        CHECK(str_startswith(args, first));
        free(first);
        free(args);
    }
    CHECK_INT(p->unseen.n, 1);
    if (p->unseen.n == 1) {
        CHECK_STR(p->unseen.v[0].file, "src/parse.y");
        CHECK_INT(p->unseen.v[0].kind, UNSEEN_GRAMMAR);
    }
    project_free(p);
    rm_tree(dir);
    free(dir);
}

/* A configure that writes its header from scripts (no template): the
 * header checks the code tests and nothing defines go into the empty
 * stand-in when this machine has the header; nothing else does, and a tree
 * with a template keeps its stand-ins as they were. */
static void test_srctree_code_switches(void) {
    char *dir = make_tmpdir();
    put(dir, "configure", "echo '#define PROJ_HAVE_UNISTD_H 1' >> $OBJS/proj_auto.h\n");
    put(dir, "src/proj_core.h",
        "#include <proj_auto.h>\n"
        "#if (PROJ_HAVE_UNISTD_H)\n#include <unistd.h>\n#endif\n"
        "#ifdef PROJ_HAVE_XYZZY_NO_SUCH_H\n#include <xyzzy.h>\n#endif\n"
        "#if defined(HAVE_STDLIB_H) && PROJ_HAVE_EPOLL\n#endif\n"
        "#ifndef PROJ_HAVE_STDIO_H\n#endif\n"
        "#define PROJ_HAVE_LIMITS_H 1\n#if PROJ_HAVE_LIMITS_H\n#endif\n"
        "#if HAVE_CONFIG_H\n#endif\n");
    put(dir, "src/main.c", "#include \"proj_core.h\"\nint main(void) { return 0; }\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    const project_standin *aut = standin(p, "proj_auto.h");
    CHECK(aut != NULL);
    if (aut && p->standin_dir) {
        CHECK(aut->from == NULL);
        /* PROJ_HAVE_UNISTD_H and HAVE_STDLIB_H */
        CHECK_INT(aut->switches, 2);
        char *c = slurp(p->standin_dir, "proj_auto.h");
        REQUIRE(c != NULL);
        CHECK(strstr(c, "\n#ifndef PROJ_HAVE_UNISTD_H\n#define PROJ_HAVE_UNISTD_H 1\n#endif\n"));
        CHECK(strstr(c, "\n#define HAVE_STDLIB_H 1\n"));
        /* a header this machine lacks, a feature, a test of absence only, a
         * macro the tree defines, cleave's own -D: none switched on */
        CHECK(!strstr(c, "XYZZY") && !strstr(c, "EPOLL") && !strstr(c, "STDIO") &&
              !strstr(c, "LIMITS") && !strstr(c, "HAVE_CONFIG_H"));
        free(c);
    }
    project_free(p);
    p = NULL;
    /* with a template, the template lists the switches */
    put(dir, "config.h.in", "/* Generated from configure.ac by autoheader.  */\n#undef HAVE_STDLIB_H\n");
    put(dir, "src/main.c", "#include \"config.h\"\n#include \"proj_core.h\"\n");
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    aut = standin(p, "proj_auto.h");
    CHECK(aut != NULL);
    if (aut && p->standin_dir) {
        CHECK_INT(aut->switches, 0);
        char *c = slurp(p->standin_dir, "proj_auto.h");
        REQUIRE(c != NULL);
        CHECK(!strstr(c, "#define"));
        free(c);
    }
    project_free(p);
    rm_tree(dir);
    free(dir);
}

/* A tree with nothing to stand in for gets no stand-in directory. */
static void test_srctree_plain(void) {
    char *dir = make_tmpdir();
    put(dir, "a.c", "#include <stdio.h>\n#include \"a.h\"\n");
    put(dir, "a.h", "int a;\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK(p->standin_dir == NULL);
    CHECK_INT(p->standins.n, 0);
    CHECK_INT(p->jobs.n, 1);
    if (p->jobs.n == 1) {
        char *want = xasprintf("-I%s", dir);
        char *args = joined(&p->jobs.v[0].args);
        CHECK_STR(args, want);
        free(args);
        free(want);
    }
    project_free(p);
    project_free(NULL);
    rm_tree(dir);
    free(dir);
}

/* Without a database, a file whose outermost conditional is `#ifndef M`
 * (or `#if !defined(M)`) followed by an #error is read with -DM, said in
 * p->builds (entry 0); M becomes a build macro.  Not when the guard is
 * nested, names two macros, or code comes before the #error. */
static void test_srctree_requires(void) {
    char *dir = make_tmpdir();
    put(dir, "fe.c",
        "/* client */\n#ifndef CLIENT\n/* why */\n#error \"client only\"\n#endif\nint fe;\n");
    put(dir, "def.c", "#if !defined(EMB) /* note */\n# error \"embedded\"\n#endif\n");
    put(dir, "nested.c", "#ifdef A\n#ifndef B\n#error b\n#endif\n#endif\n");
    put(dir, "two.c", "#if !defined(C) && !defined(D)\n#error cd\n#endif\n");
    put(dir, "code.c", "#ifndef F\nint x;\n#error f\n#endif\n");
    put(dir, "late.c", "#ifdef G\n#endif\n#ifndef H\n#error h\n#endif\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    char *macros = joined(&p->build_macros);
    CHECK_STR(macros, "CLIENT EMB H");
    free(macros);
    CHECK_INT(p->builds.n, 3);
    if (p->builds.n == 3) {
        CHECK_STR(p->builds.v[0].file, "def.c");
        CHECK_STR(p->builds.v[1].file, "fe.c");
        CHECK_STR(p->builds.v[2].file, "late.c");
        CHECK_INT(p->builds.v[1].entry, 0);
        CHECK_INT(p->builds.v[1].builds, 1);
        CHECK(p->builds.v[1].with.n == 1 && strcmp(p->builds.v[1].with.v[0], "-DCLIENT") == 0);
    }
    /* jobs in path order: code def fe late nested two */
    CHECK_INT(p->jobs.n, 6);
    if (p->jobs.n == 6) {
        char *fe = joined(&p->jobs.v[2].args), *code = joined(&p->jobs.v[0].args);
        CHECK_STR(fe, "-DCLIENT");
        CHECK(strstr(code, "-D") == NULL);
        free(fe);
        free(code);
    }
    project_free(p);
    rm_tree(dir);
    free(dir);
}

/* A header configure writes under another name than its template's, as
 * the configure script says (Vim: AC_CONFIG_HEADERS(auto/config.h:
 * config.h.in) in src/configure.ac, and vim.h includes "auto/config.h"):
 * stood in from that template where configure puts it, with AC_CHECK_SIZEOF
 * sizes under the project's prefix.  Items with shell syntax or leaving the
 * tree are not followed. */
static void test_srctree_configured(void) {
    char *dir = make_tmpdir();
    put(dir, "src/configure.ac",
        "AC_INIT(proj)\ndnl AC_CONFIG_HEADERSX(nope.h)\n"
        "AC_CONFIG_HEADERS([auto/config.h:config.h.in] $(evil):config.h.in "
        "../../escape.h:config.h.in)\n");
    put(dir, "src/config.h.in",
        "/* config.h.in.  Generated from configure.ac by autoheader.  */\n"
        "#undef HAVE_STDLIB_H\n#undef PROJ_SIZEOF_INT\n#undef PROJ_SIZEOF_LONG\n");
    put(dir, "src/proj.h",
        "#include \"auto/config.h\"\n#if PROJ_SIZEOF_INT < 4\n#error int too small\n#endif\n");
    put(dir, "src/main.c", "#include \"proj.h\"\nint main(void) { return 0; }\n");
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    REQUIRE(p != NULL);
    CHECK_INT(p->standins.n, 1);
    const project_standin *cfg = standin(p, "src/auto/config.h");
    CHECK(cfg != NULL);
    if (cfg && p->standin_dir) {
        CHECK_STR(cfg->from, "src/config.h.in");
        CHECK_INT(cfg->switches, 3);
        char *c = slurp(p->standin_dir, "src/auto/config.h");
        REQUIRE(c != NULL);
        CHECK(strstr(c, "\n#define PROJ_SIZEOF_INT 4\n") != NULL);
        CHECK(strstr(c, "\n#define PROJ_SIZEOF_LONG 8\n") != NULL);
        free(c);
    }
    project_free(p);
    rm_tree(dir);
    free(dir);
}

/* Stand-ins never land in the tree, even when $TMPDIR points into it. */
static void test_srctree_tmpdir_inside(void) {
    char *dir = make_tmpdir();
    put(dir, "a.c", "#include \"gen.h\"\n");
    put(dir, "tmp/keep", "");
    const char *old = getenv("TMPDIR");
    char *saved = old ? xstrdup(old) : NULL;
    char *inside = path_join(dir, "tmp");
    setenv("TMPDIR", inside, 1);
    project *p = NULL;
    char *err = NULL;
    CHECK_INT(project_open(dir, NULL, &p, &err), 0);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    REQUIRE(p != NULL);
    CHECK(p->standin_dir != NULL);
    char *rel = p->standin_dir ? path_relative(dir, p->standin_dir) : NULL;
    CHECK(rel == NULL);
    free(rel);
    CHECK_INT(p->standins.n, 1);
    if (p->standins.n == 1) CHECK_STR(p->standins.v[0].header, "gen.h");
    project_free(p);
    free(inside);
    free(saved);
    rm_tree(dir);
    free(dir);
}

static const test_case cases[] = {
    {"split", test_split},
    {"clean", test_clean},
    {"clean_confined", test_clean_confined},
    {"compdb_forms", test_compdb_forms},
    {"compdb_build_dir", test_compdb_build_dir},
    {"compdb_skips", test_compdb_skips},
    {"compdb_builds", test_compdb_builds},
    {"compdb_many_builds", test_compdb_many_builds},
    {"compdb_errors", test_compdb_errors},
    {"open_errors", test_open_errors},
    {"srctree", test_srctree},
    {"srctree_generated", test_srctree_generated},
    {"srctree_code_switches", test_srctree_code_switches},
    {"srctree_plain", test_srctree_plain},
    {"srctree_requires", test_srctree_requires},
    {"srctree_configured", test_srctree_configured},
    {"srctree_tmpdir_inside", test_srctree_tmpdir_inside},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
