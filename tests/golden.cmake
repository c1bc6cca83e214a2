# golden.cmake - one golden test, run by ctest as
#   cmake -DCLEAVE=<cleave> -DFIXTURE=<name> -DSOURCE_DIR=<checkout>
#         -DOUTPUT=<build>/golden/<name>.json -P golden.cmake
#
# Runs `cleave scan fixtures/<name> -o OUTPUT` from SOURCE_DIR, so the root
# recorded in the JSON is the relative path fixtures/<name>, checks the exit
# code against fixtures/<name>/expected_exit (0 when absent), then compares
# OUTPUT with fixtures/<name>/expected.json byte for byte and prints a
# unified diff when they differ.
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

message("running: ${CLEAVE} scan fixtures/${FIXTURE} -o ${OUTPUT}  (in ${SOURCE_DIR})")
execute_process(
    COMMAND "${CLEAVE}" scan "fixtures/${FIXTURE}" -o "${OUTPUT}"
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE rc)

# rc is a number, or a text such as "Child aborted" after a signal.
if(NOT rc MATCHES "^[0-9]+$" OR NOT rc EQUAL want_exit)
    message(FATAL_ERROR "golden_${FIXTURE}: cleave exited with ${rc}, expected ${want_exit}")
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
