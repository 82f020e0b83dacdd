#include <sqlite3.h>
/* SQLITE_TRANSIENT is a macro cast that Swift cannot import; expose it as a constant. */
static const sqlite3_destructor_type csqlite_transient = (sqlite3_destructor_type)-1;
