#ifndef ACCESS_AUDIT_SQLITE_SHIM_H
#define ACCESS_AUDIT_SQLITE_SHIM_H
// The system libsqlite3 (Debian: libsqlite3-dev). Resolved on the compiler's include path,
// never by an absolute path.
#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: one integer-valued option at a time.
static inline int access_audit_db_config(sqlite3 *db, int option, int value) {
    return sqlite3_db_config(db, option, value, (int *)0);
}
#endif
