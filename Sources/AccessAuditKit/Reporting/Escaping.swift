/// Every escaping the reports need, in one tested place.
public enum Escaping {
    /// A value safe for a terminal: control characters (C0, DEL, C1, including ESC and newlines)
    /// are shown as visible escapes (`\n`, `\t`, `\x1B`, `\u{9B}`), so database text can neither
    /// colour a reviewer's screen nor forge extra lines; bidi controls, zero-width and other
    /// invisible characters and the line and paragraph separators (`isInvisible`) are shown as
    /// `<U+202E>`, so a value can neither reorder nor hide what a row says. Non-UTF-8 bytes show
    /// as U+FFFD. Every human-facing format (text, Markdown, HTML, remediation comments) builds
    /// on this.
    public static func terminal(_ text: String) -> String {
        let text = DBText.display(text)
        guard text.unicodeScalars.contains(where: { isControl($0) || isInvisible($0) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                out += visible(scalar)
                continue
            }
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += scalar.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }

    /// Characters that change how text around them is shown without showing themselves: bidi
    /// controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), zero-width and other
    /// invisible format characters (U+00AD, U+180E, U+200B–U+200D, U+2060–U+2064, U+206A–U+206F,
    /// U+FEFF, U+FFF9–U+FFFB) and the line and paragraph separators (U+2028, U+2029).
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x061C, 0x180E, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF, 0xFFF9...0xFFFB:
            true
        default:
            false
        }
    }

    /// `<U+202E>`: how an invisible character is shown.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// Appends `text` as a JSON string literal to `sink`. Text with nothing to escape (the usual
    /// case) is copied as bytes; anything else goes through `jsonString`.
    static func appendJSONString(_ text: String, to sink: inout ReportSink) {
        var text = text
        let plain = text.withUTF8 { bytes -> Bool in
            // 0xC2, 0xD8, 0xE1, 0xE2, 0xEF and 0xF4 lead the invisible characters and the escaped bytes.
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE1 || byte == 0xE2 || byte == 0xEF || byte == 0xF4 {
                return false
            }
            sink.append(byte: 0x22)
            sink.append(bytes: bytes)
            sink.append(byte: 0x22)
            return true
        }
        if !plain {
            jsonString(text).utf8.withContiguousStorageIfAvailable { sink.append(bytes: $0) }
                ?? Array(jsonString(text).utf8).withUnsafeBufferPointer { sink.append(bytes: $0) }
        }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped, and
    /// DEL, C1 and the invisible characters (`isInvisible`) as `\\uXXXX`, so the value parses
    /// to exactly the same text while a terminal showing the file shows them. Non-UTF-8 bytes
    /// kept from the database are written as U+FFFD.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in DBText.display(text).unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if isControl(scalar) || isInvisible(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An RFC 4180 CSV field: always quoted, quotes doubled. Control characters other than tab,
    /// LF and CR (which a quoted field may hold) are shown as in `terminal` (`\x1B`, `\u{9B}`),
    /// invisible characters as `<U+202E>`. A value a spreadsheet would run as a formula gets a
    /// leading `'`, so it opens as text: one that starts with tab or CR, or whose first visible
    /// character (after whitespace, controls and invisible characters) is `=`, `+`, `-`, `@` or
    /// their full-width forms (OWASP's CSV injection advice).
    public static func csvField(_ text: String) -> String {
        let display = DBText.display(text)
        var value = ""
        for scalar in display.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || scalar == "\r" || !(isControl(scalar) || isInvisible(scalar)) {
                value.unicodeScalars.append(scalar)
            } else {
                value += terminal(String(scalar))
            }
        }
        if startsFormula(display) { value = "'" + value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A CSV comment line's text (after `# `), as `terminal` shows it with `"` as `\x22` and `,` as
    /// `\x2C`: a spreadsheet reads the line as one cell, so no piece of it can open a quoted field
    /// that swallows the header and rows, or start a formula (`Scripts/csv-check.sh`).
    public static func csvComment(_ text: String) -> String {
        let shown = terminal(text)
        guard shown.contains(where: { $0 == "\"" || $0 == "," }) else { return shown }
        return shown.replacingOccurrences(of: "\"", with: "\\x22").replacingOccurrences(of: ",", with: "\\x2C")
    }

    /// Whether a spreadsheet could take `text` for a formula.
    static func startsFormula(_ text: String) -> Bool {
        if let first = text.unicodeScalars.first, first == "\t" || first == "\r" { return true }
        let first = text.unicodeScalars.first { !(isControl($0) || isInvisible($0) || $0.properties.isWhitespace) }
        guard let first else { return false }
        return "=+-@\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains(first)
    }

    /// A JSON string literal of `text` as shown (`terminal`: controls and invisible characters
    /// visible), safe as the content of a `<script type="application/json">` element: every `<`
    /// is written `\u003c`, so neither `</script>` nor `<!--` can appear, and the value parses back
    /// to exactly the text shown.
    public static func scriptJSONString(_ text: String) -> String {
        scriptJSON(terminal(text))
    }

    /// `text` as it is (no `terminal`) as a JSON string literal safe in a script element: for
    /// text already shown, and the HTML report's templates (whose control characters stand for
    /// values and are written as `\u0001`…).
    static func scriptJSON(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C && $0 != 0x3C }) {
            return "\"" + text + "\""
        }
        return jsonString(text).replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// `text` as a URL fragment value: every byte but the unreserved ASCII ones (RFC 3986) as
    /// `%XX` of its UTF-8, as JavaScript's `decodeURIComponent` reads it back.
    public static func fragmentValue(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Text safe in HTML element content and attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        for scalar in terminal(text).unicodeScalars {
            if let entity = entity(scalar) { out += entity } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// The HTML entity for a character that needs one, else nil.
    static func entity(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: nil
        }
    }

    /// Text safe in a Markdown table cell: control characters shown as escapes, HTML special
    /// characters as entities, Markdown punctuation backslash-escaped (no links, emphasis or code
    /// from the database), pipes escaped, line breaks as `<br>`.
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        let lines = DBText.display(text).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "<br>" }
            for scalar in terminal(String(line)).unicodeScalars {
                switch scalar {
                case "&", "<", ">": out += entity(scalar) ?? ""
                case "\\", "`", "*", "_", "[", "]", "(", ")", "#", "!", "|", "~": out += "\\" + String(scalar)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

extension Escaping {
    /// Text safe in XML 1.0 element content and attribute values (JUnit reports). Characters XML
    /// 1.0 does not allow at all (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) and every other
    /// control character are shown as visible escapes, as on a terminal, so no database value can
    /// make the document ill-formed or add lines; `& < > " '` become entities.
    public static func xml(_ text: String) -> String {
        var out = ""
        for scalar in terminal(text).unicodeScalars {
            if let entity = entity(scalar) {
                out += entity
            } else if scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A Prometheus label value (text exposition format): backslash, double quote and line feed
    /// escaped; other control characters shown as on a terminal.
    public static func prometheusLabel(_ text: String) -> String {
        var out = ""
        for scalar in DBText.display(text).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out += isControl(scalar) ? terminal(String(scalar)).replacingOccurrences(of: "\\", with: "\\\\") : String(scalar)
            }
        }
        return out
    }
}
