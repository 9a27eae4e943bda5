/// Every escaping the reports need, in one tested place.
public enum Escaping {
    /// A value safe for a terminal: control characters (C0, DEL, C1, including ESC and newlines)
    /// are shown as visible escapes (`\n`, `\t`, `\x1B`, `\u{9B}`), so database text can neither
    /// colour a reviewer's screen nor forge extra lines. Non-UTF-8 bytes show as U+FFFD.
    public static func terminal(_ text: String) -> String {
        let text = DBText.display(text)
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
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

    /// Appends `text` as a JSON string literal to `sink`. Text with nothing to escape (the usual
    /// case) is copied as bytes; anything else goes through `jsonString`.
    static func appendJSONString(_ text: String, to sink: inout ReportSink) {
        var text = text
        let plain = text.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 || byte == 0xF4 {
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

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    /// Non-UTF-8 bytes kept from the database are written as U+FFFD.
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
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An RFC 4180 CSV field: always quoted, quotes doubled. A value a spreadsheet would run as a
    /// formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, so it opens as text.
    public static func csvField(_ text: String) -> String {
        var value = DBText.display(text)
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
