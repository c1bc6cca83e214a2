/*
 * libclang_api.h - the table of libclang entry points the front end calls
 * (libclang.name calls clang_name), filled by libclang_load (libclang.h).
 *
 * Front-end files only (frontend*.c, libclang.c): this header brings in
 * libclang's types.  Call libclang_load before any libclang.fn(); after it
 * returns, the table is filled and read-only, so any thread may call
 * through it.
 */
#ifndef CLEAVE_LIBCLANG_API_H
#define CLEAVE_LIBCLANG_API_H

#include <clang-c/Index.h>

/* Every libclang function cleave calls. */
#define LIBCLANG_FUNCTIONS(X)                                                                    \
    X(Cursor_Evaluate) X(Cursor_getArgument) X(Cursor_getNumArguments) X(Cursor_getStorageClass) \
    X(Cursor_isNull) X(EvalResult_dispose) X(EvalResult_getAsLongLong) X(EvalResult_getKind)     \
    X(File_isEqual) X(Location_isInSystemHeader) X(Type_visitFields) X(createIndex)              \
    X(disposeDiagnostic) X(disposeIndex) X(disposeString) X(disposeTokens)                       \
    X(disposeTranslationUnit) X(equalCursors) X(equalLocations) X(getCString)                    \
    X(getCanonicalCursor) X(getCanonicalType) X(getClangVersion) X(getCursorDefinition)          \
    X(getCursorExtent) X(getCursorKind) X(getCursorLinkage) X(getCursorLocation)                 \
    X(getCursorReferenced) X(getCursorSemanticParent) X(getCursorSpelling) X(getCursorType)      \
    X(getCursorUSR) X(getDiagnostic) X(getDiagnosticLocation) X(getDiagnosticSeverity)           \
    X(getDiagnosticSpelling) X(getExpansionLocation) X(getFileContents) X(getFileName)           \
    X(getArgType) X(getArrayElementType) X(getInclusions) X(getNumArgTypes)                      \
    X(getNumDiagnostics) X(getPointeeType) X(isConstQualifiedType) X(isFunctionTypeVariadic)     \
    X(getRange) X(getRangeEnd) X(getRangeStart) X(getResultType) X(getSpellingLocation)          \
    X(getTokenKind) X(getTokenLocation) X(getTokenSpelling) X(getTranslationUnitCursor)          \
    X(getTypeSpelling) X(hashCursor) X(isCursorDefinition) X(isExpression) X(isStatement)        \
    X(parseTranslationUnit2) X(tokenize) X(visitChildren)

typedef struct libclang_api {
#define LIBCLANG_MEMBER(name) __typeof__(clang_##name) *name;
    LIBCLANG_FUNCTIONS(LIBCLANG_MEMBER)
#undef LIBCLANG_MEMBER
} libclang_api;

/* Filled by libclang_load. */
extern libclang_api libclang;

#endif
