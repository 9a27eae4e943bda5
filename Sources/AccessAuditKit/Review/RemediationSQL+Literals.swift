/// The pieces of remediation SQL that carry database values: literals that name a value byte for
/// byte, and comments no value can end. The audited database is hostile, so a value must never
/// become SQL (an id `x\nCOMMIT; DELETE FROM grants;` after a `--`), never lose a byte (`bob\0`
/// is not `bob`), and never make the script read as something else (bidi controls).
extension RemediationSQL {
    /// A text literal holding exactly the bytes the database held (`DBText.bytes`): quoted with
    /// quotes doubled when every character is visible and harmless, else `CAST(X'…' AS TEXT)`
    /// (NUL bytes, control characters, invalid UTF-8, bidi and invisible characters). The cast
    /// keeps the bytes as they are in a UTF-8 database (SQLite's default encoding).
    static func literal(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy(plainInLiteral) {
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        let hex = DBText.bytes(text).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "CAST(X'" + hex.joined() + "' AS TEXT)"
    }

    /// A character that may appear as itself inside a quoted literal: printable, not an escaped
    /// byte, not something a reviewer cannot see.
    private static func plainInLiteral(_ scalar: Unicode.Scalar) -> Bool {
        (0x20...0x7E).contains(scalar.value)
            || (scalar.value >= 0xA0 && scalar.value < DBText.escapeBase && !Escaping.isInvisible(scalar))
    }

    /// A condition naming exactly the grant rows the audit means by `id` (`DatabaseAudit.grantID`):
    /// ids compare as text, byte for byte (CONTRACT.md §2: `CAST(x AS TEXT)`, `COLLATE BINARY`,
    /// since a cast keeps the column's collation and `NOCASE` or `RTRIM` would name look-alikes).
    /// An integer is every integer, text or blob row whose text is its canonical text (`5`, `'5'`,
    /// `X'35'`: one id); a REAL every real, text or blob row whose text is its `CAST` text (`1.0`
    /// and `'1.0'`: one id, `GrantID(text:)`). SQL's own `=` would compare by affinity and storage
    /// class, so for an integer it only narrows the search: the `IN` list holds every form that can
    /// equal the text, so `grant_id` as the rowid is still a lookup, not a scan of `grants` per
    /// statement. (A REAL's text need not read back as the stored double, so a REAL is found by
    /// its text alone.) Nil for a NULL id (no row can be named).
    static func grantCondition(_ id: GrantID) -> String? {
        let text: String
        let classes: String
        var search = ""
        switch id {
        case .null: return nil
        case .integer(let value):
            (text, classes) = (String(value), "'integer', 'text', 'blob'")
            search = "grant_id COLLATE BINARY IN (\(value), '\(value)', CAST('\(value)' AS BLOB)) AND "
        case .real(_, let value): (text, classes) = (value, "'real', 'text', 'blob'")
        case .text(let value): (text, classes) = (value, "'text', 'blob'")
        }
        return search + "typeof(grant_id) IN (\(classes)) AND " + IDMatch.text("grant_id", literal(text))
    }

    /// `grantCondition`, true only while it names exactly one row: `grant_id` is not unique in
    /// every database (no primary key), and a fix for alice's grant 5 must not also delete bob's
    /// grant 5. A repeated id makes every statement of that fix change nothing. (Every statement
    /// reads `grants NOT INDEXED`: an index on an expression such as `CAST(account_id AS TEXT)`,
    /// which the audit's index check leaves out, must not decide which rows a fix changes; the
    /// rowid lookup of an `INTEGER PRIMARY KEY` stays.)
    static func singleGrantCondition(_ id: GrantID) -> String? {
        grantCondition(id).map { "\($0) AND (SELECT count(*) FROM grants NOT INDEXED WHERE \($0)) = 1" }
    }

    /// A condition naming the rows of an account: its id compared as text, as the audit reads it.
    static func accountCondition(_ id: String) -> String {
        IDMatch.text("account_id", literal(id))
    }

    /// Text safe inside a `--` comment: every line break and control character (SQLite ends a
    /// comment at LF; editors also break at CR, U+2028 and U+2029), bidi control and invisible
    /// character shown as a visible escape, so nothing from the database can end the comment or
    /// hide what the next line says.
    static func comment(_ text: String) -> String {
        Escaping.terminal(text)
    }
}
