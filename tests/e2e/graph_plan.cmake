# graph_plan.cmake - `cleave graph` over a plan, run by ctest as
#   cmake -DCLEAVE=<cleave> -DSOURCE_DIR=<checkout> -DWORK=<build>/graph_plan
#         [-DDOT=<dot>] -P graph_plan.cmake
#
# Makes a plan of fixtures/demo (`cleave plan --graph
# fixtures/demo/expected.json -o WORK --no-render`), then draws it with
# `cleave graph --plan WORK/plan.json` (the graph.json beside the plan is
# read): collapsed to services, a service as the focus, and straight to SVG
# through libgvc.  No golden file: the clustering may change the plan.  Each
# run must exit 0, each DOT must name the plan's services and render with
# `dot -Tsvg` without a message, the SVG must be complete.  Then the errors
# a user can make: --collapse service without a plan, a focus that names
# nothing, a plan file that is not a plan.

foreach(v CLEAVE SOURCE_DIR WORK)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "graph_plan.cmake: -D${v}=... is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run expect_rc)
    execute_process(COMMAND "${CLEAVE}" ${ARGN}
                    WORKING_DIRECTORY "${SOURCE_DIR}"
                    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
    if(NOT rc EQUAL expect_rc)
        message(FATAL_ERROR "cleave ${ARGN}: exited with ${rc}, expected ${expect_rc}\n${err}")
    endif()
    set(stderr_text "${err}" PARENT_SCOPE)
endfunction()

run(0 plan --graph fixtures/demo/expected.json -o "${WORK}" --no-render -q)
file(READ "${WORK}/plan.json" plan_text)
string(REGEX MATCH "\"name\":[ \t]*\"billing\"" has_billing "${plan_text}")
if(NOT has_billing)
    message(FATAL_ERROR "the demo plan has no service named billing; pick another focus here")
endif()

# the whole plan by service is the plan's own service view, rates and all:
# the services.dot of a plan that renders (fitted to a screen), and of one
# that does not with --no-fit
run(0 plan --graph fixtures/demo/expected.json -o "${WORK}/rendered" --no-report -q)
run(0 graph --plan "${WORK}/rendered/plan.json" --collapse service -o "${WORK}/graph_services.dot")
file(READ "${WORK}/graph_services.dot" again)
file(READ "${WORK}/rendered/services.dot" own)
if(NOT again STREQUAL own)
    message(FATAL_ERROR "graph --plan --collapse service differs from the plan's services.dot")
endif()
run(0 graph --plan "${WORK}/plan.json" --collapse service --no-fit -o "${WORK}/graph_services.dot")
file(READ "${WORK}/graph_services.dot" again)
file(READ "${WORK}/services.dot" own)
if(NOT again STREQUAL own)
    message(FATAL_ERROR "graph --plan --collapse service differs from the plan's services.dot")
endif()
string(FIND "${own}" "/s\"" at_rate)
if(at_rate EQUAL -1)
    message(FATAL_ERROR "${WORK}/services.dot draws no calls per second")
endif()
run(0 graph --plan "${WORK}/plan.json" --focus billing --depth 1 -o "${WORK}/billing.dot")
run(0 graph --plan "${WORK}/plan.json" --focus billing -o "${WORK}/billing.svg")
foreach(f services.dot billing.dot)
    file(READ "${WORK}/${f}" text)
    string(FIND "${text}" "\"service:billing\"" at_service)
    string(FIND "${text}" "cluster_billing" at_cluster)
    if(at_service EQUAL -1 AND at_cluster EQUAL -1)
        message(FATAL_ERROR "${WORK}/${f} does not draw the service billing")
    endif()
    if(DOT)
        execute_process(COMMAND "${DOT}" -Tsvg "${WORK}/${f}" -o "${WORK}/${f}.svg"
                        RESULT_VARIABLE dot_rc ERROR_VARIABLE dot_err)
        if(NOT dot_rc EQUAL 0 OR NOT dot_err STREQUAL "")
            message(FATAL_ERROR "dot -Tsvg ${WORK}/${f} exited with ${dot_rc}: ${dot_err}")
        endif()
    endif()
endforeach()
file(READ "${WORK}/billing.svg" svg)
string(FIND "${svg}" "</svg>" at_end)
string(FIND "${svg}" ">billing_charge</text>" at_label)
if(at_end EQUAL -1 OR at_label EQUAL -1)
    message(FATAL_ERROR "${WORK}/billing.svg is not a complete drawing of billing")
endif()

run(2 graph fixtures/demo --collapse service -q)
if(NOT stderr_text MATCHES "--collapse service needs --plan")
    message(FATAL_ERROR "unexpected message: ${stderr_text}")
endif()
# a name both a service and a function: the service first, said on stderr;
# a prefix asks for the other
run(0 graph --plan "${WORK}/plan.json" --focus main -o "${WORK}/main_focus.dot")
if(NOT stderr_text MATCHES "cleave: graph: --focus main: the function main; also a service \\(--focus service:main\\)")
    message(FATAL_ERROR "unexpected message: ${stderr_text}")
endif()
run(0 graph --plan "${WORK}/plan.json" --focus service:main -o "${WORK}/main_focus.dot")
if(NOT stderr_text MATCHES "--focus service:main: the service main\n")
    message(FATAL_ERROR "unexpected message: ${stderr_text}")
endif()
file(READ "${WORK}/main_focus.dot" dot)
if(NOT dot MATCHES "within 1 call of service main")
    message(FATAL_ERROR "${WORK}/main_focus.dot does not say it shows the service main")
endif()
run(2 graph --plan "${WORK}/plan.json" --focus global:x)
if(NOT stderr_text MATCHES "'global:x' names a global: give a function, service, file or directory")
    message(FATAL_ERROR "unexpected message: ${stderr_text}")
endif()
run(2 graph --plan "${WORK}/plan.json" --focus no_such_service)
if(NOT stderr_text MATCHES "no function, service, file or directory named 'no_such_service'")
    message(FATAL_ERROR "unexpected message: ${stderr_text}")
endif()
run(2 graph --graph fixtures/demo/expected.json --plan fixtures/demo/compile_commands.json)
if(NOT stderr_text MATCHES "^cleave: fixtures/demo/compile_commands.json:[0-9]+:[0-9]+: ")
    message(FATAL_ERROR "unexpected message: ${stderr_text}")
endif()
