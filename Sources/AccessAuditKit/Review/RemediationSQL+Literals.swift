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

    /// A condition naming the grant rows of `id` the way the audit read them (integers by value,
    /// anything else by its text and storage class), or nil for a NULL id (no row can be named).
    static func grantCondition(_ id: GrantID) -> String? {
        switch id {
        case .null: nil
        case .integer(let value): "grant_id = \(value)"
        case .real(_, let text): "typeof(grant_id) = 'real' AND CAST(grant_id AS TEXT) = \(literal(text))"
        case .text(let text): "typeof(grant_id) IN ('text', 'blob') AND CAST(grant_id AS TEXT) = \(literal(text))"
        }
    }

    /// `grantCondition`, true only while it names exactly one row: `grant_id` is not unique in
    /// every database (no primary key), and a fix for alice's grant 5 must not also delete bob's
    /// grant 5. A repeated id makes every statement of that fix change nothing.
    static func singleGrantCondition(_ id: GrantID) -> String? {
        grantCondition(id).map { "\($0) AND (SELECT count(*) FROM grants WHERE \($0)) = 1" }
    }

    /// A condition naming the rows of an account: its id compared as text, as the audit reads it.
    static func accountCondition(_ id: String) -> String {
        "CAST(account_id AS TEXT) = \(literal(id))"
    }

    /// Text safe inside a `--` comment: every line break and control character (SQLite ends a
    /// comment at LF; editors also break at CR, U+2028 and U+2029), bidi control and invisible
    /// character shown as a visible escape, so nothing from the database can end the comment or
    /// hide what the next line says.
    static func comment(_ text: String) -> String {
        Escaping.terminal(text)
    }
}
