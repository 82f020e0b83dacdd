#include <sqlite3.h>
/* SQLITE_TRANSIENT is a macro cast that Swift cannot import; expose it as a constant. */
static const sqlite3_destructor_type csqlite_transient = (sqlite3_destructor_type)-1;
/* sqlite3_db_config is variadic, which Swift cannot call: one wrapper per option used. */
static inline int csqlite_no_checkpoint_on_close(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on, (int *)0);
}
