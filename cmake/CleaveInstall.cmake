# CleaveInstall.cmake - what `cmake --install` (and `make install`, and the
# Debian package) puts where, with GNUInstallDirs' layout under the prefix:
#
#   bin/cleave
#   share/man/man1/cleave.1.gz, cleave-<command>.1.gz; man5/cleave.json.5.gz
#   share/bash-completion/completions/cleave
#   share/zsh/vendor-completions/_cleave   (prefix /usr, the package: where
#   share/zsh/site-functions/_cleave        Debian's zsh looks; any other prefix)
#   share/cleave/schemas/*.schema.json      (the published JSON Schemas)
#   share/doc/cleave/README.md, share/doc/cleave/docs/...
#
# Man pages are every man/*.[1-8] (a new command's page is one new file,
# which tests/e2e/manpages.py requires), compressed at build time with
# `gzip -9n` (no name or time stamp: the same bytes on every build).
# `uninstall` removes what the last install wrote, from its manifest
# (cmake/uninstall.cmake).

set(CLEAVE_ZSH_COMPLETION_DIR "" CACHE STRING
    "where _cleave goes, relative to the prefix; empty: share/zsh/vendor-completions under /usr, else share/zsh/site-functions")

install(TARGETS cleave RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

file(GLOB cleave_man_pages CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/man/*.[1-8]")
set(cleave_man_gz "")
foreach(page IN LISTS cleave_man_pages)
    get_filename_component(name "${page}" NAME)
    string(REGEX MATCH "[1-8]$" section "${name}")
    set(gz "${CMAKE_CURRENT_BINARY_DIR}/man/${name}.gz")
    add_custom_command(OUTPUT "${gz}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/man"
        COMMAND sh -c "gzip -9n -c \"$0\" > \"$1\"" "${page}" "${gz}"
        DEPENDS "${page}"
        COMMENT "Compressing man page ${name}"
        VERBATIM)
    list(APPEND cleave_man_gz "${gz}")
    install(FILES "${gz}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man${section}")
endforeach()
add_custom_target(cleave_man ALL DEPENDS ${cleave_man_gz})

install(FILES completion/cleave.bash
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME cleave)
# The zsh directory depends on the prefix the files are installed under,
# which `cmake --install --prefix` and cpack (prefix /usr) choose after the
# configure: it is decided at install time.  file(INSTALL) honours DESTDIR
# and records the file in the install manifest, as install(FILES) does.
if(CLEAVE_ZSH_COMPLETION_DIR)
    install(FILES completion/_cleave DESTINATION "${CLEAVE_ZSH_COMPLETION_DIR}")
else()
    install(CODE "
        if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
            set(cleave_zsh_dir \"${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions\")
        else()
            set(cleave_zsh_dir \"${CMAKE_INSTALL_DATADIR}/zsh/site-functions\")
        endif()
        file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${cleave_zsh_dir}\" TYPE FILE
             FILES \"${CMAKE_CURRENT_SOURCE_DIR}/completion/_cleave\")")
endif()

# docs/schemas.md lists them, with the version string each format carries.
set(CLEAVE_SCHEMAS
    docs/graph.schema.json
    docs/plan.schema.json
    docs/cleave.schema.json
    docs/baseline.schema.json
    docs/check.schema.json
    docs/compare.schema.json
)
install(FILES ${CLEAVE_SCHEMAS} DESTINATION "${CMAKE_INSTALL_DATADIR}/cleave/schemas")

# The documentation keeps the tree's layout, so the README's links to
# docs/... hold where it is installed.
install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")

add_custom_target(uninstall
    COMMAND "${CMAKE_COMMAND}"
        "-DMANIFEST=${CMAKE_CURRENT_BINARY_DIR}/install_manifest.txt"
        "-DOWNED=${CMAKE_INSTALL_DOCDIR};${CMAKE_INSTALL_DATADIR}/cleave"
        -P "${CMAKE_CURRENT_SOURCE_DIR}/cmake/uninstall.cmake"
    VERBATIM)
