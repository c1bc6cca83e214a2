# CleaveDeps.cmake - finds cleave's system dependencies; nothing is vendored.
#
# Defines imported targets:
#   cleave::libclang  libclang of an LLVM 14..19 (headers as system includes)
#   cleave::libclang_headers  its headers only (cleave loads the library)
#   cleave::cjson     cJSON (header <cjson/cJSON.h>)
#   cleave::graphviz  Graphviz cgraph + gvc
#   Threads::Threads  POSIX threads (the front end and the parallel scan)
# and variables:
#   CLEAVE_LLVM_VERSION        version of the LLVM whose libclang is used
#   CLEAVE_LIBCLANG_PATH       the libclang file cleave dlopen()s
#   CLEAVE_CLANG_RESOURCE_DIR  <llvm libdir>/clang/<version>: clang's builtin
#                              headers (stddef.h, ...), which libclang needs
#                              at run time to parse anything that includes them
#
# libclang search order: the llvm-config given with -DLLVM_CONFIG=... (only
# that one); else the unversioned llvm-config on PATH (the system's default
# LLVM), then llvm-config-19 .. llvm-config-14, then the directories
# /usr/lib/llvm-19 .. /usr/lib/llvm-14.  The last matters on Debian: the
# libclang-dev package does not ship llvm-config.  A candidate is taken only
# when its header, library and builtin headers are all present, so an LLVM
# installed without its libclang development files is skipped, not half used.
# Every failure stops the configure with the Debian package to install.

set(CLEAVE_LLVM_MAJORS 19 18 17 16 15 14)

set(LLVM_CONFIG "" CACHE FILEPATH
    "llvm-config of the LLVM (14 to 19) whose libclang to use; empty = search")

# Checks one LLVM installation.  On success sets, in the caller's scope,
# cleave_clang_ok=TRUE plus cleave_clang_{lib,incdir,resdir,version};
# otherwise appends a reason to cleave_clang_rejected.
function(cleave_try_llvm origin version libdir incdir)
    string(REGEX MATCH "^[0-9]+" major "${version}")
    if(NOT major OR major LESS 14 OR major GREATER 19)
        set(why "LLVM ${version}: not in the supported range 14..19")
    elseif(NOT EXISTS "${incdir}/clang-c/Index.h")
        set(why "no ${incdir}/clang-c/Index.h (install libclang-${major}-dev)")
    else()
        set(lib "")
        foreach(name clang clang-${major})
            set(f "${libdir}/${CMAKE_SHARED_LIBRARY_PREFIX}${name}${CMAKE_SHARED_LIBRARY_SUFFIX}")
            if(NOT lib AND EXISTS "${f}")
                set(lib "${f}")
            endif()
        endforeach()
        # LLVM < 16 names the builtin-header directory after the full
        # version (clang/14.0.6), LLVM >= 16 after the major (clang/16).
        set(resdir "")
        file(GLOB entries LIST_DIRECTORIES true RELATIVE "${libdir}/clang"
             "${libdir}/clang/${major}*")
        list(SORT entries)
        foreach(e "${version}" "${major}" ${entries})
            if(NOT resdir AND e MATCHES "^${major}(\\.[0-9]+)*$"
               AND EXISTS "${libdir}/clang/${e}/include/stddef.h")
                set(resdir "${libdir}/clang/${e}")
            endif()
        endforeach()
        if(NOT lib)
            set(why "no libclang.so or libclang-${major}.so in ${libdir} (install libclang-${major}-dev)")
        elseif(NOT resdir)
            set(why "no builtin headers ${libdir}/clang/<version>/include/stddef.h (install libclang-common-${major}-dev)")
        else()
            set(cleave_clang_ok TRUE PARENT_SCOPE)
            set(cleave_clang_lib "${lib}" PARENT_SCOPE)
            set(cleave_clang_incdir "${incdir}" PARENT_SCOPE)
            set(cleave_clang_resdir "${resdir}" PARENT_SCOPE)
            # A bare directory gives only the major; the builtin-header
            # directory of LLVM < 16 tells the full version.
            get_filename_component(resname "${resdir}" NAME)
            if(version STREQUAL major)
                set(version "${resname}")
            endif()
            set(cleave_clang_version "${version}" PARENT_SCOPE)
            return()
        endif()
    endif()
    set(cleave_clang_rejected ${cleave_clang_rejected} "  ${origin}: ${why}" PARENT_SCOPE)
endfunction()

# Asks an llvm-config where its LLVM lives, then checks that LLVM.
macro(cleave_try_llvm_config exe)
    execute_process(COMMAND "${exe}" --version --libdir --includedir
                    OUTPUT_VARIABLE cleave_out RESULT_VARIABLE cleave_rc
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    string(REPLACE "\n" ";" cleave_out "${cleave_out}")
    list(LENGTH cleave_out cleave_n)
    if(NOT cleave_rc EQUAL 0 OR NOT cleave_n EQUAL 3)
        list(APPEND cleave_clang_rejected "  ${exe}: does not run as llvm-config")
    else()
        list(GET cleave_out 0 cleave_version)
        list(GET cleave_out 1 cleave_libdir)
        list(GET cleave_out 2 cleave_incdir)
        # "14.0.6", but some builds append a suffix ("17.0.6git", "15.0.7-rc1")
        string(REGEX MATCH "^[0-9]+\\.[0-9]+\\.[0-9]+" cleave_version "${cleave_version}")
        cleave_try_llvm("${exe}" "${cleave_version}" "${cleave_libdir}" "${cleave_incdir}")
    endif()
endmacro()

set(cleave_clang_ok FALSE)
set(cleave_clang_rejected "")
if(LLVM_CONFIG)
    cleave_try_llvm_config("${LLVM_CONFIG}")
else()
    set(cleave_names llvm-config)
    foreach(m IN LISTS CLEAVE_LLVM_MAJORS)
        list(APPEND cleave_names llvm-config-${m})
    endforeach()
    foreach(name IN LISTS cleave_names)
        if(NOT cleave_clang_ok)
            string(MAKE_C_IDENTIFIER "CLEAVE_${name}" cleave_var)
            find_program(${cleave_var} ${name})
            mark_as_advanced(${cleave_var})
            if(${cleave_var})
                cleave_try_llvm_config("${${cleave_var}}")
            endif()
        endif()
    endforeach()
    foreach(m IN LISTS CLEAVE_LLVM_MAJORS)
        if(NOT cleave_clang_ok AND IS_DIRECTORY "/usr/lib/llvm-${m}")
            cleave_try_llvm("/usr/lib/llvm-${m}" "${m}"
                            "/usr/lib/llvm-${m}/lib" "/usr/lib/llvm-${m}/include")
        endif()
    endforeach()
endif()

if(NOT cleave_clang_ok)
    string(REPLACE ";" "\n" cleave_why "${cleave_clang_rejected}")
    if(NOT cleave_why)
        set(cleave_why "  no llvm-config and no /usr/lib/llvm-NN directory found")
    endif()
    message(FATAL_ERROR
        "libclang (LLVM 14 to 19) not found: install the Debian package libclang-dev "
        "(or run `make deps`), or point -DLLVM_CONFIG= at an llvm-config.\n"
        "Candidates tried:\n${cleave_why}")
endif()

set(CLEAVE_LLVM_VERSION "${cleave_clang_version}")
set(CLEAVE_CLANG_RESOURCE_DIR "${cleave_clang_resdir}")
add_library(cleave::libclang UNKNOWN IMPORTED)
set_target_properties(cleave::libclang PROPERTIES
    IMPORTED_LOCATION "${cleave_clang_lib}"
    INTERFACE_INCLUDE_DIRECTORIES "${cleave_clang_incdir}")
# cleave itself does not link libclang: analyzer/frontend/libclang.c dlopen()s it
# when a unit must be parsed.  It opens the file the linker would record,
# the library's SONAME beside the real file, so that a point release of
# the same LLVM needs no rebuild.
add_library(cleave::libclang_headers INTERFACE IMPORTED)
set_target_properties(cleave::libclang_headers PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${cleave_clang_incdir}")
get_filename_component(cleave_clang_real "${cleave_clang_lib}" REALPATH)
set(CLEAVE_LIBCLANG_PATH "${cleave_clang_real}")
if(CMAKE_OBJDUMP)
    execute_process(COMMAND "${CMAKE_OBJDUMP}" -p "${cleave_clang_real}"
                    OUTPUT_VARIABLE cleave_od ERROR_QUIET RESULT_VARIABLE cleave_od_rc)
    if(cleave_od_rc EQUAL 0 AND cleave_od MATCHES "SONAME +([^ \n]+)")
        get_filename_component(cleave_clang_libdir "${cleave_clang_real}" DIRECTORY)
        if(EXISTS "${cleave_clang_libdir}/${CMAKE_MATCH_1}")
            set(CLEAVE_LIBCLANG_PATH "${cleave_clang_libdir}/${CMAKE_MATCH_1}")
        endif()
    endif()
endif()
message(STATUS "libclang: LLVM ${CLEAVE_LLVM_VERSION}, ${cleave_clang_lib} (loaded as ${CLEAVE_LIBCLANG_PATH})")
message(STATUS "clang resource dir: ${CLEAVE_CLANG_RESOURCE_DIR}")

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)

find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
    message(FATAL_ERROR "pkg-config not found: install the Debian package pkg-config")
endif()

# cJSON: pkg-config first, a plain library search otherwise.  The header is
# always looked up as <cjson/cJSON.h>, the spelling the code uses, because
# libcjson.pc points one directory deeper.
pkg_check_modules(CJSON QUIET IMPORTED_TARGET libcjson)
find_path(CLEAVE_CJSON_INCLUDE_DIR cjson/cJSON.h HINTS ${CJSON_INCLUDEDIR})
if(CJSON_FOUND)
    set(cleave_cjson_lib PkgConfig::CJSON)
else()
    find_library(CLEAVE_CJSON_LIBRARY cjson)
    set(cleave_cjson_lib "${CLEAVE_CJSON_LIBRARY}")
endif()
if(NOT cleave_cjson_lib OR NOT CLEAVE_CJSON_INCLUDE_DIR)
    message(FATAL_ERROR "cJSON (libcjson, <cjson/cJSON.h>) not found: install the Debian package libcjson-dev")
endif()
add_library(cleave::cjson INTERFACE IMPORTED)
set_target_properties(cleave::cjson PROPERTIES
    INTERFACE_LINK_LIBRARIES "${cleave_cjson_lib}"
    INTERFACE_INCLUDE_DIRECTORIES "${CLEAVE_CJSON_INCLUDE_DIR}")

pkg_check_modules(GRAPHVIZ QUIET IMPORTED_TARGET libcgraph libgvc)
if(NOT GRAPHVIZ_FOUND)
    message(FATAL_ERROR "Graphviz (pkg-config libcgraph, libgvc) not found: install the Debian package libgraphviz-dev")
endif()
add_library(cleave::graphviz INTERFACE IMPORTED)
set_target_properties(cleave::graphviz PROPERTIES
    INTERFACE_LINK_LIBRARIES PkgConfig::GRAPHVIZ)
