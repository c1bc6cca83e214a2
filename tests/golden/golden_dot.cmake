# golden_dot.cmake - one golden test of `cleave graph`, run by ctest as
#   cmake -DCLEAVE=<cleave> -DSOURCE_DIR=<checkout> -DINPUT=<fixtures/name or
#         a graph JSON> -DGOLDEN=<fixtures/name/expected_graph*.dot>
#         -DOUTPUT=<build>/golden_dot/<test>.dot [-DARGS=opt|opt|...]
#         [-DDOT=<dot>] [-DCACHE_DIR=<dir>] -P golden_dot.cmake
#
# Runs `cleave graph -q INPUT ARGS -o OUTPUT` from SOURCE_DIR (INPUT ending
# in .json is passed as --graph), expects exit 0, and compares OUTPUT with
# GOLDEN byte for byte, printing a unified diff when they differ.  ARGS
# separates options with '|' (ctest would split on ';').  With DOT (the
# Graphviz `dot` program), the output must also render with `dot -Tsvg`
# without an error or warning: cgraph wrote it, Graphviz must read it.
# CACHE_DIR is passed as --cache-dir (the default cache would sit inside
# the fixture, beside its compile_commands.json); without it, --no-cache.
#
# With CLEAVE_UPDATE_GOLDEN=1 in the environment the output replaces GOLDEN
# instead of being compared (deliberate updates only; review git diff).

foreach(v CLEAVE SOURCE_DIR INPUT GOLDEN OUTPUT)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "golden_dot.cmake: -D${v}=... is required")
    endif()
endforeach()

set(args "")
if(DEFINED ARGS AND NOT ARGS STREQUAL "")
    string(REPLACE "|" ";" args "${ARGS}")
endif()
if(INPUT MATCHES "\\.json$")
    set(input --graph "${INPUT}")
else()
    set(input "${INPUT}")
endif()

set(cache_args --no-cache)
if(DEFINED CACHE_DIR)
    set(cache_args --cache-dir "${CACHE_DIR}")
endif()

get_filename_component(outdir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${outdir}")
file(REMOVE "${OUTPUT}")
message("running: ${CLEAVE} graph -q ${input} ${args} -o ${OUTPUT} ${cache_args}  (in ${SOURCE_DIR})")
execute_process(
    COMMAND "${CLEAVE}" graph -q ${input} ${args} -o "${OUTPUT}" ${cache_args}
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE rc
    ERROR_VARIABLE stderr_text)
message("${stderr_text}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cleave graph exited with ${rc}, expected 0")
endif()
if(NOT EXISTS "${OUTPUT}")
    message(FATAL_ERROR "cleave graph exited with 0 but wrote no ${OUTPUT}")
endif()

if(DOT)
    execute_process(
        COMMAND "${DOT}" -Tsvg "${OUTPUT}" -o "${OUTPUT}.svg"
        RESULT_VARIABLE dot_rc
        ERROR_VARIABLE dot_err)
    if(NOT dot_rc EQUAL 0 OR NOT dot_err STREQUAL "")
        message(FATAL_ERROR "dot -Tsvg ${OUTPUT} exited with ${dot_rc}: ${dot_err}")
    endif()
endif()

set(expected "${SOURCE_DIR}/${GOLDEN}")
if("$ENV{CLEAVE_UPDATE_GOLDEN}" STREQUAL "1")
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUTPUT}" "${expected}"
                    RESULT_VARIABLE differ OUTPUT_QUIET ERROR_QUIET)
    if(differ EQUAL 0)
        message("${GOLDEN} unchanged")
    else()
        # read + write keeps the golden file's mode (the output is 0600)
        file(READ "${OUTPUT}" text)
        file(WRITE "${expected}" "${text}")
        message("updated ${GOLDEN}")
    endif()
elseif(NOT EXISTS "${expected}")
    message(FATAL_ERROR "${GOLDEN} does not exist; create it with CLEAVE_UPDATE_GOLDEN=1 ctest -R golden_dot")
else()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${expected}" "${OUTPUT}"
                    RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
        find_program(DIFF diff)
        if(DIFF)
            execute_process(COMMAND "${DIFF}" -u "${expected}" "${OUTPUT}")
        endif()
        message(FATAL_ERROR "output differs from ${GOLDEN}; if the change is intended, rerun "
                            "with CLEAVE_UPDATE_GOLDEN=1 and review git diff")
    endif()
endif()
