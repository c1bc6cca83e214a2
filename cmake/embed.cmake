# embed.cmake - writes a C file defining `const char NAME[]`, the bytes of
# INPUT with a NUL after them: how reports/html/*.js and *.css get into the
# program without a build step of their own.
#
#   cmake -DINPUT=<file> -DOUTPUT=<file.c> -DNAME=<identifier> -P embed.cmake
#
# The output is rewritten only when its text changes, so a rebuild after an
# unrelated edit recompiles nothing.
foreach(v INPUT OUTPUT NAME)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "embed.cmake: -D${v}=... is required")
    endif()
endforeach()
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n" bytes "${bytes}")
get_filename_component(base "${INPUT}" NAME)
set(text "/* ${base}, embedded by cmake/embed.cmake: edit the source, not this file */\n")
string(APPEND text "const char ${NAME}[] = {\n${bytes}0x00};\n")
if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" old)
    if(old STREQUAL text)
        return()
    endif()
endif()
file(WRITE "${OUTPUT}" "${text}")
