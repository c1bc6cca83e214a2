# uninstall.cmake - removes what the last `cmake --install` of this build
# directory wrote, as its install manifest lists, then the directories that
# are cleave's own once empty (OWNED: the doc and data directories relative
# to the prefix, share/doc/cleave and share/cleave, found in the manifest's
# paths whatever the prefix was).  The manifest holds the paths under the
# prefix without DESTDIR; the DESTDIR of the environment, the one the
# install was staged with, is put in front of each.
# Shared directories (bin/, man1/, the completion directories) are never
# removed, even when empty: other packages own them.
#
#   cmake -DMANIFEST=<build>/install_manifest.txt -DOWNED="<dir>;<dir>" -P uninstall.cmake
if(NOT EXISTS "${MANIFEST}")
    message(FATAL_ERROR "${MANIFEST}: no install manifest; nothing was installed from this build directory")
endif()
file(STRINGS "${MANIFEST}" listed)
set(files "")
foreach(f IN LISTS listed)
    list(APPEND files "$ENV{DESTDIR}${f}")
endforeach()
set(roots "")
foreach(f IN LISTS files)
    if(IS_SYMLINK "${f}" OR EXISTS "${f}")
        message(STATUS "Removing ${f}")
        file(REMOVE "${f}")
    else()
        message(STATUS "Already gone: ${f}")
    endif()
    # <DESTDIR><prefix>/<owned dir>/... : that directory goes too
    foreach(own IN LISTS OWNED)
        string(FIND "${f}" "/${own}/" at REVERSE)
        if(at GREATER_EQUAL 0)
            string(LENGTH "/${own}" n)
            math(EXPR end "${at} + ${n}")
            string(SUBSTRING "${f}" 0 ${end} root)
            list(APPEND roots "${root}")
        endif()
    endforeach()
endforeach()
list(REMOVE_DUPLICATES roots)
foreach(root IN LISTS roots)
    if(IS_DIRECTORY "${root}")
        # deepest first, so a directory is empty when its turn comes
        file(GLOB_RECURSE dirs LIST_DIRECTORIES true "${root}/*")
        list(SORT dirs ORDER DESCENDING)
        foreach(d IN LISTS dirs ITEMS "${root}")
            if(IS_DIRECTORY "${d}" AND NOT IS_SYMLINK "${d}")
                file(GLOB left "${d}/*" "${d}/.*")
                if(NOT left)
                    file(REMOVE_RECURSE "${d}")
                endif()
            endif()
        endforeach()
    endif()
endforeach()
