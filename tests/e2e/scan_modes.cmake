# scan_modes.cmake - every way of running a scan gives the same bytes; run
# by ctest as
#   cmake -DCLEAVE=<cleave> -DFIXTURE=<name> -DSOURCE_DIR=<checkout>
#         -DWORK=<build>/scan_modes/<name> [-DWARM_PARSED=<n>]
#         [-DSECOND_BUILDS=<n>] [-DBUILD_DIR=<dir>] -P scan_modes.cmake
#
# From SOURCE_DIR, on fixtures/<name> (with -p fixtures/<name>/BUILD_DIR
# when given), without a cache unless said:
#  1. `scan -j 1` and `scan -j 4`: byte-identical graphs;
#  2. a cold then a warm scan with --cache-dir WORK/cache: both give that
#     graph, and the warm one parses only WARM_PARSED units (default 0;
#     units with errors are never cached), as its summary line says, and
#     when that is 0 does not even load libclang;
#  3. the kept whole graph, then one unit's entry, overwritten with
#     garbage: ignored (that unit parsed again), same graph;
#  4. `scan --shard K/3` for K = 1..3, then `merge` of the three files in
#     another order: the same graph, byte for byte.  With SECOND_BUILDS a
#     whole scan reads that many second builds, which no slice holds: merge
#     reads them itself, from the tree the shards name, and says so as the
#     scan does; then, on a copy of the fixture in WORK,
#     a. shards of the copy merged after it is gone (as on another
#        machine): exit 0, a warning naming the missing root, and a graph
#        without second builds;
#     b. shards merged after the copy's database changed (with BUILD_DIR)
#        or a .c file was added (without): exit 2, one line naming the
#        file, and no output file;
#     c. shards of the copy merged from a folder the copy is not in:
#        exit 0, a warning naming the root as outside it, no second
#        builds read (a forged shard does not choose what a merge parses);
#  5. the fixture tree is unchanged at the end (the cache lives in WORK).

foreach(v CLEAVE FIXTURE SOURCE_DIR WORK)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "scan_modes.cmake: -D${v}=... is required")
    endif()
endforeach()
if(NOT DEFINED WARM_PARSED)
    set(WARM_PARSED 0)
endif()

set(dir "${SOURCE_DIR}/fixtures/${FIXTURE}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(GLOB_RECURSE tree_before LIST_DIRECTORIES true RELATIVE "${dir}" "${dir}/*")

# Runs cleave with the given arguments; fails the test on a non-zero exit.
# The stderr text is left in `stderr_text`.
function(cleave_run)
    execute_process(COMMAND "${CLEAVE}" ${ARGN}
        WORKING_DIRECTORY "${SOURCE_DIR}"
        RESULT_VARIABLE rc
        ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "cleave ${ARGN}: exited with ${rc}\n${err}")
    endif()
    set(stderr_text "${err}" PARENT_SCOPE)
endfunction()

# Runs cleave in folder `cwd` (a merge reads a tree only there or below)
# expecting exit code `want`; leaves stderr in `stderr_text`.
function(cleave_exit_in cwd want)
    execute_process(COMMAND "${CLEAVE}" ${ARGN}
        WORKING_DIRECTORY "${cwd}"
        RESULT_VARIABLE rc
        ERROR_VARIABLE err)
    if(NOT rc EQUAL want)
        message(FATAL_ERROR "cleave ${ARGN} (in ${cwd}): exited with ${rc}, expected ${want}\n${err}")
    endif()
    set(stderr_text "${err}" PARENT_SCOPE)
endfunction()


function(same_bytes a b what)
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${a}" "${b}"
                    RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
        message(FATAL_ERROR "${what}: ${b} differs from ${a}")
    endif()
endfunction()

# The "N parsed, M cached" of the summary line.
function(expect_parsed want what)
    if(NOT stderr_text MATCHES "; ([0-9]+) parsed, ([0-9]+) cached")
        message(FATAL_ERROR "${what}: no 'N parsed, M cached' in:\n${stderr_text}")
    endif()
    if(NOT CMAKE_MATCH_1 EQUAL want)
        message(FATAL_ERROR "${what}: ${CMAKE_MATCH_1} units parsed, expected ${want}")
    endif()
endfunction()

set(src "fixtures/${FIXTURE}")
set(db "")
if(DEFINED BUILD_DIR)
    set(db -p "${src}/${BUILD_DIR}")
endif()
set(src ${src} ${db})
set(ref "${WORK}/j1.json")

# 1. parallelism
cleave_run(scan ${src} --no-cache -j 1 -o "${ref}")
cleave_run(scan ${src} --no-cache -j 4 -o "${WORK}/j4.json")
same_bytes("${ref}" "${WORK}/j4.json" "-j 4 against -j 1")

# Whether the last run loaded libclang: glibc's LD_DEBUG=files names every
# library it loads, on stderr.
function(expect_libclang want what)
    if(stderr_text MATCHES "file=[^ ]*libclang")
        set(loaded 1)
    else()
        set(loaded 0)
    endif()
    if(NOT loaded EQUAL want)
        message(FATAL_ERROR "${what}: libclang loaded: ${loaded}, expected ${want}")
    endif()
endfunction()

# 2. cold and warm cache; a warm scan that parses nothing never loads
# libclang (analyzer/frontend/libclang.c)
set(ENV{LD_DEBUG} files)
cleave_run(scan ${src} --cache-dir "${WORK}/cache" -j 4 -o "${WORK}/cold.json")
expect_libclang(1 "cold scan")
same_bytes("${ref}" "${WORK}/cold.json" "cold cached scan")
cleave_run(scan ${src} --cache-dir "${WORK}/cache" -j 4 -o "${WORK}/warm.json")
unset(ENV{LD_DEBUG})
same_bytes("${ref}" "${WORK}/warm.json" "warm cached scan")
expect_parsed(${WARM_PARSED} "warm scan")
if(WARM_PARSED EQUAL 0)
    expect_libclang(0 "warm scan")
endif()

# 3. a corrupt entry is a miss: a unit's, and the kept whole graph
# (a project with units in error never has one: those are parsed each time)
file(GLOB graphs "${WORK}/cache/graph-*.facts")
# (nor one that read second builds: docs/scanning.md)
if(WARM_PARSED EQUAL 0 AND NOT graphs AND NOT DEFINED SECOND_BUILDS)
    message(FATAL_ERROR "the warm scan kept no whole graph in ${WORK}/cache")
elseif(WARM_PARSED GREATER 0 AND graphs)
    message(FATAL_ERROR "a whole graph was kept although units have errors")
endif()
foreach(g IN LISTS graphs)
    file(WRITE "${g}" "CLVFACTS but not a graph")
endforeach()
cleave_run(scan ${src} --cache-dir "${WORK}/cache" -o "${WORK}/nograph.json")
same_bytes("${ref}" "${WORK}/nograph.json" "scan with a corrupt whole graph")
file(GLOB entries "${WORK}/cache/[0-9a-f]*.facts")
list(LENGTH entries nentries)
if(nentries GREATER 0)
    list(GET entries 0 victim)
    file(WRITE "${victim}" "CLVFACTS but not really")
    cleave_run(scan ${src} --cache-dir "${WORK}/cache" -o "${WORK}/corrupt.json")
    same_bytes("${ref}" "${WORK}/corrupt.json" "scan with a corrupt cache entry")
    math(EXPR want "${WARM_PARSED} + 1")
    expect_parsed(${want} "scan with a corrupt cache entry")
endif()

# 4. shards
foreach(k 1 2 3)
    cleave_run(scan ${src} --no-cache --shard ${k}/3 -o "${WORK}/shard${k}.facts")
endforeach()
cleave_run(merge "${WORK}/shard2.facts" "${WORK}/shard3.facts" "${WORK}/shard1.facts"
           --cache-dir "${WORK}/merge-cache" -o "${WORK}/merged.json")
same_bytes("${ref}" "${WORK}/merged.json" "merge of 3 shards")
if(stderr_text MATCHES "warning: [^\n]*second build")
    message(FATAL_ERROR "merge: a second-build warning:\n${stderr_text}")
endif()
if(DEFINED SECOND_BUILDS)
    if(NOT stderr_text MATCHES "note: ${SECOND_BUILDS} files? read again, in the build")
        message(FATAL_ERROR "merge: no note of ${SECOND_BUILDS} second builds in:\n${stderr_text}")
    endif()

    # The shards of a copy of the fixture, which a merge may then lose.
    function(copy_shards tag)
        set(tree "${WORK}/${tag}/${FIXTURE}")
        file(REMOVE_RECURSE "${WORK}/${tag}")
        file(COPY "${dir}" DESTINATION "${WORK}/${tag}")
        set(args "${tree}")
        if(DEFINED BUILD_DIR)
            list(APPEND args -p "${tree}/${BUILD_DIR}")
        endif()
        foreach(k 1 2)
            cleave_run(scan ${args} --no-cache -q --shard ${k}/2 -o "${WORK}/${tag}-${k}.facts")
        endforeach()
    endfunction()

    # 4a. the tree is not where the shards say (another machine)
    copy_shards(gone)
    file(REMOVE_RECURSE "${WORK}/gone")
    cleave_exit_in("${WORK}" 0 merge "${WORK}/gone-1.facts" "${WORK}/gone-2.facts" --no-cache
                -o "${WORK}/gone.json")
    if(NOT stderr_text MATCHES "warning: [^\n]*/gone/${FIXTURE}: No such file[^\n]*cannot read the project the shards were scanned from[^\n]*need \\(${SECOND_BUILDS} files? to read again")
        message(FATAL_ERROR "merge without the tree: no warning naming it in:\n${stderr_text}")
    endif()
    file(READ "${WORK}/gone.json" gone)
    if(gone MATCHES "second_builds")
        message(FATAL_ERROR "merge without the tree: ${WORK}/gone.json has second builds")
    endif()

    # 4b. the tree changed since the shards were scanned
    copy_shards(changed)
    if(DEFINED BUILD_DIR)
        set(changed "${WORK}/changed/${FIXTURE}/${BUILD_DIR}/compile_commands.json")
        file(APPEND "${changed}" "\n")
        set(why "not the compile database the shards were scanned with")
    else()
        set(changed "${WORK}/changed/${FIXTURE}")
        file(WRITE "${changed}/added.c" "int added(void) { return 0; }\n")
        set(why "not the tree the shards were scanned from")
    endif()
    cleave_exit_in("${WORK}" 2 merge "${WORK}/changed-1.facts" "${WORK}/changed-2.facts" --no-cache
                -o "${WORK}/changed.json")
    if(NOT stderr_text MATCHES "^cleave: ${changed}: ${why}[^\n]*\n$")
        message(FATAL_ERROR "merge of a changed tree: not one line naming ${changed}:\n${stderr_text}")
    endif()
    if(EXISTS "${WORK}/changed.json")
        message(FATAL_ERROR "merge of a changed tree wrote ${WORK}/changed.json")
    endif()

    # 4c. a merge run outside the tree the shards name parses nothing of it
    # (the shard files say where the tree is: a forged one must not choose)
    copy_shards(away)
    file(MAKE_DIRECTORY "${WORK}/elsewhere")
    cleave_exit_in("${WORK}/elsewhere" 0 merge "${WORK}/away-1.facts" "${WORK}/away-2.facts"
                   --no-cache -o "${WORK}/away.json")
    if(NOT stderr_text MATCHES "warning: [^\n]*/away/${FIXTURE}: outside the folder the merge runs in \([^\n]*/elsewhere\)[^\n]*cannot read the project the shards were scanned from")
        message(FATAL_ERROR "merge outside the tree: no warning naming it in:\n${stderr_text}")
    endif()
    file(READ "${WORK}/away.json" away)
    if(away MATCHES "second_builds")
        message(FATAL_ERROR "merge outside the tree: ${WORK}/away.json has second builds")
    endif()
endif()

# 5. the analysed tree is read-only
file(GLOB_RECURSE tree_after LIST_DIRECTORIES true RELATIVE "${dir}" "${dir}/*")
if(NOT tree_before STREQUAL tree_after)
    message(FATAL_ERROR "scan_modes_${FIXTURE}: the fixture tree ${dir} changed")
endif()
message("scan_modes_${FIXTURE}: -j, cache and shards all give the same graph")
