# CleavePackage.cmake - the Debian package (CPack's DEB generator):
# `make deb`, or `cpack --config <build>/CPackConfig.cmake -B <build>` after
# a build configured with -DCMAKE_INSTALL_PREFIX=/usr.  The package holds
# what CleaveInstall.cmake installs, under /usr.
#
# Depends: dpkg-shlibdeps finds the packages of the libraries cleave links
# (libc6, libcjson1, libgvc6, libcgraph6), with their minimum versions.  It
# cannot see libclang, which cleave dlopen()s (analyzer/frontend/libclang.c),
# nor clang's builtin headers (stddef.h, ...), which every parse needs:
# their packages are added here by asking dpkg which package holds the exact
# files this build uses -- CLEAVE_LIBCLANG_PATH and the resource directory
# CleaveDeps.cmake found (on Debian 12: libclang1-14 and
# libclang-common-14-dev).  A build whose libclang no Debian package holds
# (no dpkg, an LLVM built by hand) gets no package rule: `make deb` then
# stops with the reason instead of making a package that cannot run.
#
# Packaging needs dpkg-dev (dpkg-shlibdeps) and file; `make deps` installs
# both.

set(CLEAVE_PACKAGE_MAINTAINER "cleave maintainers <maintainers@cleave.invalid>" CACHE STRING
    "Maintainer field of the Debian package")

# The package (by dpkg -S) that holds file; "" when none does.
function(cleave_dpkg_owner file out)
    set(pkg "")
    find_program(CLEAVE_DPKG_QUERY dpkg-query)
    mark_as_advanced(CLEAVE_DPKG_QUERY)
    if(CLEAVE_DPKG_QUERY)
        get_filename_component(real "${file}" REALPATH)
        foreach(f "${file}" "${real}")
            if(NOT pkg)
                execute_process(COMMAND "${CLEAVE_DPKG_QUERY}" -S "${f}"
                                OUTPUT_VARIABLE o RESULT_VARIABLE rc ERROR_QUIET
                                OUTPUT_STRIP_TRAILING_WHITESPACE)
                # "libclang1-14: /usr/lib/x86_64-linux-gnu/libclang-14.so.13"; an
                # architecture qualifier ("libfoo:amd64:") is dropped: the
                # package's own architecture is what Depends means
                if(rc EQUAL 0 AND o MATCHES "^([a-z0-9][a-z0-9.+-]*)(:[a-z0-9-]+)?: ")
                    set(pkg "${CMAKE_MATCH_1}")
                endif()
            endif()
        endforeach()
    endif()
    set(${out} "${pkg}" PARENT_SCOPE)
endfunction()

cleave_dpkg_owner("${CLEAVE_LIBCLANG_PATH}" cleave_libclang_pkg)
cleave_dpkg_owner("${CLEAVE_CLANG_RESOURCE_DIR}/include/stddef.h" cleave_resource_pkg)
set(CLEAVE_PACKAGE_READY FALSE)
if(cleave_libclang_pkg AND cleave_resource_pkg)
    set(CLEAVE_PACKAGE_READY TRUE)
    message(STATUS "Debian package: Depends on ${cleave_libclang_pkg} (${CLEAVE_LIBCLANG_PATH}) "
                   "and ${cleave_resource_pkg} (clang's builtin headers) besides the linked libraries")
else()
    set(CLEAVE_PACKAGE_UNREADY_WHY
        "no Debian package holds ${CLEAVE_LIBCLANG_PATH} or ${CLEAVE_CLANG_RESOURCE_DIR}/include/stddef.h (dpkg -S)")
    message(STATUS "Debian package: not available: ${CLEAVE_PACKAGE_UNREADY_WHY}")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cleave)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "cleave")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "static analyser showing where a C monolith can be split into services")
# CPack puts the summary first and indents each line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "cleave reads a C codebase with libclang, builds a call and
data-dependency graph (direct calls, calls through function pointers,
which functions read and write which global state), proposes boundaries
-- services owning a capability and its state, or one serverless
function per entry point, with a shared library layer -- and writes them
as a JSON split plan and Graphviz diagrams. In CI, cleave check gates
every change against a committed plan (text, JSON, SARIF, JUnit, GitHub
and Markdown reports).")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CLEAVE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # cleave_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${cleave_libclang_pkg}, ${cleave_resource_pkg}")
# a compilation database comes from bear for a make-based build
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bear")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES FALSE)
# Only the DEB generator; no source package.
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
