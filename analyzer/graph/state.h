/*
 * state.h - the one definition of "state" every stage uses: which accesses
 * change a global, and which globals anything changes.  merge.c and
 * graph_load.c derive it once for every graph they make; clustering, the
 * plan's owned and shared state, fitness, diagrams and check read the
 * derived flags instead of judging access modes themselves.
 *
 * The modes come from the front end, which already reads what it can of
 * an address's use: handed to a pointer-to-const or variadic parameter,
 * or taken of a const variable, it is MODE_READ; handed to a C library
 * function that writes through it (memset, strcpy), MODE_WRITE; handed
 * anywhere else (stored, returned, a plain pointer parameter), MODE_ADDRESS.
 *
 * The rule.  A global's family is the variable and its fields (one level
 * deep, as the graph holds them); a function-local static is a family of
 * its own.  A family is *written* when some function writes any member of
 * it (MODE_WRITE).  An access *writes* when it is MODE_WRITE, or when it
 * is MODE_ADDRESS of a member of a written family: the pointer may be
 * written through, and the graph cannot see what the callee does with it.
 * MODE_ADDRESS of a global no function writes is a read, as reading any
 * global is.  Reads of a written global are still reads: they make the
 * reader depend on the writer's state, which fitness counts as state to
 * move to a store, but they do not make the reader own it.
 */
#ifndef CLEAVE_STATE_H
#define CLEAVE_STATE_H

#include "graph/graph.h"

/* The family root of global v: a field's variable, else v itself.
 * O(log globals). */
size_t state_family(const graph *g, size_t v);

/* Sets gglobal.written and gaccess.writes for every global and access of
 * g from their modes, as the rule above says.  Never fails; runs in
 * O(globals log globals + accesses). */
void state_derive(graph *g);

#endif
