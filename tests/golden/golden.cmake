# golden.cmake - one golden test, run by ctest as
#   cmake -DCLEAVE=<cleave> -DFIXTURE=<name> -DSOURCE_DIR=<checkout>
#         -DOUTPUT=<build>/golden/<name>.json -P golden.cmake
#
# Runs `cleave scan fixtures/<name> -o OUTPUT` from SOURCE_DIR, so the root
# recorded in the JSON is the relative path fixtures/<name>, checks the exit
# code against fixtures/<name>/expected_exit (0 when absent), then compares
# OUTPUT with fixtures/<name>/expected.json byte for byte and prints a
# unified diff when they differ.  A fixture with a non-zero expected_exit
# must leave no output at all, and every line of its expected_stderr must
# appear in what cleave printed.  OUTPUT is passed relative to SOURCE_DIR
# when it lies inside it, as a user types it, so a cleave that resolves -o
# against another directory fails here.  The test also fails when the run
# added or removed anything in the fixture (the analysed tree is read-only).
# With -DBUILD_DIR=<dir>, the scan is `cleave scan fixtures/<name> -p
# fixtures/<name>/<dir>` (the database in a build folder the walk of the
# tree skips) and the golden file is fixtures/<name>/expected_<dir>.json.
# An optional -DCACHE_DIR=<dir> is passed as --cache-dir: cleave's default
# cache sits beside the fixture's compile_commands.json, inside that tree;
# a second run of the test then checks the cached scan against the golden.
#
# With CLEAVE_UPDATE_GOLDEN=1 in the environment the output replaces
# expected.json instead of being compared (deliberate updates only; review
# the change with git diff).  The exit code is checked either way.

foreach(v CLEAVE FIXTURE SOURCE_DIR OUTPUT)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "golden.cmake: -D${v}=... is required")
    endif()
endforeach()

set(dir "${SOURCE_DIR}/fixtures/${FIXTURE}")
set(expected "${dir}/expected.json")
set(db_args "")
if(DEFINED BUILD_DIR)
    set(expected "${dir}/expected_${BUILD_DIR}.json")
    set(db_args -p "fixtures/${FIXTURE}/${BUILD_DIR}")
endif()

set(want_exit 0)
if(EXISTS "${dir}/expected_exit")
    file(READ "${dir}/expected_exit" want_exit)
    string(STRIP "${want_exit}" want_exit)
    if(NOT want_exit MATCHES "^[0-9]+$")
        message(FATAL_ERROR "${dir}/expected_exit: expected an exit code, found \"${want_exit}\"")
    endif()
endif()

# A stale output from an earlier run must not pass for this run's.
get_filename_component(outdir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${outdir}")
file(REMOVE "${OUTPUT}")

file(RELATIVE_PATH out_arg "${SOURCE_DIR}" "${OUTPUT}")
if(out_arg MATCHES "^\\.\\./")
    set(out_arg "${OUTPUT}")
endif()

set(cache_args "")
if(DEFINED CACHE_DIR)
    set(cache_args --cache-dir "${CACHE_DIR}")
endif()
file(GLOB_RECURSE tree_before LIST_DIRECTORIES true RELATIVE "${dir}" "${dir}/*")
message("running: ${CLEAVE} scan fixtures/${FIXTURE} ${db_args} -o ${out_arg} ${cache_args}  (in ${SOURCE_DIR})")
execute_process(
    COMMAND "${CLEAVE}" scan "fixtures/${FIXTURE}" ${db_args} -o "${out_arg}" ${cache_args}
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE rc
    ERROR_VARIABLE stderr_text)
message("${stderr_text}")
file(GLOB_RECURSE tree_after LIST_DIRECTORIES true RELATIVE "${dir}" "${dir}/*")
if(NOT tree_before STREQUAL tree_after)
    set(added ${tree_after})
    set(removed ${tree_before})
    if(tree_before)
        list(REMOVE_ITEM added ${tree_before})
    endif()
    if(tree_after)
        list(REMOVE_ITEM removed ${tree_after})
    endif()
    string(REPLACE ";" ", " added "${added}")
    string(REPLACE ";" ", " removed "${removed}")
    message(FATAL_ERROR "golden_${FIXTURE}: cleave changed the analysed tree ${dir}: "
                        "added [${added}], removed [${removed}]")
endif()

# rc is a number, or a text such as "Child aborted" after a signal.
if(NOT rc MATCHES "^[0-9]+$" OR NOT rc EQUAL want_exit)
    message(FATAL_ERROR "golden_${FIXTURE}: cleave exited with ${rc}, expected ${want_exit}")
endif()
# Every line of expected_stderr must appear in what cleave printed.
if(EXISTS "${dir}/expected_stderr")
    file(STRINGS "${dir}/expected_stderr" want_lines)
    foreach(line IN LISTS want_lines)
        string(FIND "${stderr_text}" "${line}" at)
        if(at EQUAL -1)
            message(FATAL_ERROR "golden_${FIXTURE}: stderr lacks the line \"${line}\"")
        endif()
    endforeach()
endif()
# A failed run writes nothing: no partial or clobbered output.
if(NOT want_exit EQUAL 0)
    if(EXISTS "${OUTPUT}")
        message(FATAL_ERROR "golden_${FIXTURE}: cleave exited with ${rc} but wrote ${OUTPUT}")
    endif()
    return()
endif()
if(NOT EXISTS "${OUTPUT}")
    message(FATAL_ERROR "golden_${FIXTURE}: cleave exited with ${rc} but wrote no ${OUTPUT}")
endif()

if("$ENV{CLEAVE_UPDATE_GOLDEN}" STREQUAL "1")
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUTPUT}" "${expected}"
                    RESULT_VARIABLE differ OUTPUT_QUIET ERROR_QUIET)
    if(differ EQUAL 0)
        message("golden_${FIXTURE}: ${expected} unchanged")
    else()
        # read + write rather than a copy, which would carry over the
        # output's 0600 mode (cleave writes through mkstemp)
        file(READ "${OUTPUT}" json)
        file(WRITE "${expected}" "${json}")
        message("golden_${FIXTURE}: updated ${expected}")
    endif()
elseif(NOT EXISTS "${expected}")
    message(FATAL_ERROR "golden_${FIXTURE}: ${expected} does not exist; "
                        "create it with CLEAVE_UPDATE_GOLDEN=1 ctest -R '^golden_${FIXTURE}$'")
else()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${expected}" "${OUTPUT}"
                    RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
        find_program(DIFF diff)
        if(DIFF)
            execute_process(COMMAND "${DIFF}" -u "${expected}" "${OUTPUT}")
        endif()
        message(FATAL_ERROR "golden_${FIXTURE}: output differs from ${expected}; if the change is "
                            "intended, rerun with CLEAVE_UPDATE_GOLDEN=1 and review git diff")
    endif()
endif()
