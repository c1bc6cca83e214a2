# tests/fuzz/seeds.cmake - the fuzz targets' seed corpora and setup files,
# made at build time (cmake -P) from the fixtures:
#   OUT/seeds/compdb     the fixtures' compile_commands.json
#   OUT/seeds/graph      their graph goldens (expected.json)
#   OUT/seeds/plan       their plans (expected_plan.json, plan.json)
#   OUT/seeds/config     their cleave.json
#   OUT/seeds/partition  the plans, bench/lua-reference.rsf and a
#                        clustering JSON (tests/fuzz/seeds/partition)
#   OUT/seeds/baseline   a baseline of fixtures/check_bad, made by cleave
#   OUT/seeds/shard      shard files of fixtures scanned by cleave
#   OUT/seeds/facts      each record of those shards (SEED_FACTS)
#   OUT/check_bad.graph.json  the graph fuzz_baseline checks against
# Inputs: CLEAVE (the program), SEED_FACTS, SOURCE_DIR, OUT.
foreach(v CLEAVE SEED_FACTS SOURCE_DIR OUT)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "seeds.cmake: -D${v}=... is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${OUT}/seeds")
foreach(t compdb graph plan config partition baseline shard facts)
    file(MAKE_DIRECTORY "${OUT}/seeds/${t}")
endforeach()

# Fixture files under one name per fixture: <fixture>-<file>.
function(copy_seeds target pattern)
    file(GLOB files "${SOURCE_DIR}/fixtures/*/${pattern}")
    foreach(f IN LISTS files)
        get_filename_component(dir "${f}" DIRECTORY)
        get_filename_component(fixture "${dir}" NAME)
        get_filename_component(name "${f}" NAME)
        configure_file("${f}" "${OUT}/seeds/${target}/${fixture}-${name}" COPYONLY)
    endforeach()
endfunction()
copy_seeds(compdb compile_commands.json)
copy_seeds(graph expected.json)
copy_seeds(plan expected_plan.json)
copy_seeds(plan plan.json)
copy_seeds(config cleave.json)
copy_seeds(partition expected_plan.json)
copy_seeds(partition plan.json)
configure_file("${SOURCE_DIR}/bench/lua-reference.rsf" "${OUT}/seeds/partition/lua.rsf" COPYONLY)
configure_file("${SOURCE_DIR}/tests/fuzz/seeds/partition/clustering.json"
               "${OUT}/seeds/partition/clustering.json" COPYONLY)

function(run)
    execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${SOURCE_DIR}"
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    # check exits 1 for findings: that is the point of check_bad
    if(NOT rc EQUAL 0 AND NOT rc EQUAL 1)
        message(FATAL_ERROR "seeds.cmake: ${ARGN} failed (${rc}): ${err}")
    endif()
endfunction()

run("${CLEAVE}" scan fixtures/check_bad -q --no-cache -o "${OUT}/check_bad.graph.json")
run("${CLEAVE}" check -q --graph "${OUT}/check_bad.graph.json" --config fixtures/check_bad/cleave.json
    --plan fixtures/check_bad/plan.json --update-baseline "${OUT}/seeds/baseline/check_bad.json")

set(shards "")
foreach(fixture demo callbacks dispatch_table globals syntax_error odd_names no_compdb)
    foreach(slice 1/1 1/2 2/2)
        string(REPLACE "/" "of" tag "${slice}")
        set(shard "${OUT}/seeds/shard/${fixture}-${tag}.facts")
        run("${CLEAVE}" scan "fixtures/${fixture}" -q --no-cache --shard ${slice} -o "${shard}")
        list(APPEND shards "${shard}")
    endforeach()
endforeach()
run("${SEED_FACTS}" "${OUT}/seeds/facts" ${shards})
