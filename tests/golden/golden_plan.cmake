# golden_plan.cmake - one golden test of `cleave plan`, run by ctest as
#   cmake -DCLEAVE=<cleave> -DFIXTURE=<name> -DSOURCE_DIR=<checkout>
#         -DOUTPUT=<build>/golden_plan/<name> [-DCACHE_DIR=<dir>] -P golden_plan.cmake
#
# Runs `cleave plan -q fixtures/<name> -o OUTPUT` from SOURCE_DIR (so the
# root and the config recorded in the plan are the relative paths a user
# types), expects exit 0, and compares OUTPUT/plan.json with
# fixtures/<name>/expected_plan.json byte for byte, printing a unified diff
# when they differ.  The fixture's cleave.json, if any, is read as usual.
# CACHE_DIR is passed as --cache-dir (the default cache would sit inside
# the fixture, beside its compile_commands.json); without it, --no-cache.
#
# With CLEAVE_UPDATE_GOLDEN=1 in the environment the output replaces
# expected_plan.json instead of being compared (deliberate updates only;
# review git diff).

foreach(v CLEAVE FIXTURE SOURCE_DIR OUTPUT)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "golden_plan.cmake: -D${v}=... is required")
    endif()
endforeach()

set(expected "${SOURCE_DIR}/fixtures/${FIXTURE}/expected_plan.json")
set(cache_args --no-cache)
if(DEFINED CACHE_DIR)
    set(cache_args --cache-dir "${CACHE_DIR}")
endif()
set(actual "${OUTPUT}/plan.json")
file(REMOVE_RECURSE "${OUTPUT}")
message("running: ${CLEAVE} plan -q fixtures/${FIXTURE} -o ${OUTPUT} ${cache_args}  (in ${SOURCE_DIR})")
execute_process(
    COMMAND "${CLEAVE}" plan -q "fixtures/${FIXTURE}" -o "${OUTPUT}" ${cache_args}
    WORKING_DIRECTORY "${SOURCE_DIR}"
    RESULT_VARIABLE rc
    ERROR_VARIABLE stderr_text)
message("${stderr_text}")
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cleave plan exited with ${rc}, expected 0")
endif()
if(NOT EXISTS "${actual}")
    message(FATAL_ERROR "cleave plan exited with 0 but wrote no ${actual}")
endif()

if("$ENV{CLEAVE_UPDATE_GOLDEN}" STREQUAL "1")
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${actual}" "${expected}"
                    RESULT_VARIABLE differ OUTPUT_QUIET ERROR_QUIET)
    if(differ EQUAL 0)
        message("fixtures/${FIXTURE}/expected_plan.json unchanged")
    else()
        # read + write keeps the golden file's mode (the output is 0600)
        file(READ "${actual}" text)
        file(WRITE "${expected}" "${text}")
        message("updated fixtures/${FIXTURE}/expected_plan.json")
    endif()
elseif(NOT EXISTS "${expected}")
    message(FATAL_ERROR "fixtures/${FIXTURE}/expected_plan.json does not exist; create it with "
                        "CLEAVE_UPDATE_GOLDEN=1 ctest -R golden_plan_${FIXTURE}")
else()
    execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${expected}" "${actual}"
                    RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
        find_program(DIFF diff)
        if(DIFF)
            execute_process(COMMAND "${DIFF}" -u "${expected}" "${actual}")
        endif()
        message(FATAL_ERROR "plan.json differs from fixtures/${FIXTURE}/expected_plan.json; if the "
                            "change is intended, rerun with CLEAVE_UPDATE_GOLDEN=1 and review git diff")
    endif()
endif()
