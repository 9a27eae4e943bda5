#ifndef ACCESS_AUDIT_SQLITE_SHIM_H
#define ACCESS_AUDIT_SQLITE_SHIM_H
// The system libsqlite3 (Debian: libsqlite3-dev). Resolved on the compiler's include path,
// never by an absolute path.
#include <sqlite3.h>
#endif
