/// The findings of an HTML report as compact JSON data the page's script draws: one array per
/// finding in `<script type="application/json" id="aa-findings">`, then the string table in
/// `aa-strings`. Every value is as `Escaping.terminal` shows it, written with
/// `Escaping.scriptJSON` (`<` as `\u003c`, so no value can end the script element).
///
/// A finding's fields, by index:
///
/// | # | field | # | field |
/// |---|---|---|---|
/// | 0 | severity rank (0 info … 4 critical) | 11 | granted by |
/// | 1 | rule | 12 | granted at (inline) |
/// | 2 | account id (inline) | 13 | approved by |
/// | 3 | username (inline) | 14 | message (a template) |
/// | 4 | grant id: a number, or its text | 15 | action (a template) |
/// | 5 | org id | 16 | other evidence: 0, or [labels, value…] |
/// | 6 | organisation name | 17 | key: 0 = rule:grant:GRANT, 1 = rule:account:ACCOUNT, else the key less `rule:` |
/// | 7 | org type | 18 | baseline: 1 new, 2 persisting, 3 new (subject changed) |
/// | 8 | level | 19 | waiver |
/// | 9 | expected | 20 | waiver state: 1 waived, 2 expired |
/// | 10 | found | 21 | history: open for how long, first seen, runs (with a baseline) |
///
/// A number is an index into the string table (0 is ""), except fields 0, 4, 17, 18 and 20;
/// trailing zeros are left out. `labels` is one string of evidence labels separated by spaces.
/// A template is the text with each occurrence of the value of fields 2–13, or of the other
/// evidence, replaced by one control character: U+0001 + the value's place in that list (fields
/// 2–13 are places 0–11, the other evidence's values 12 on). Shown text has no control
/// characters, so templates repeat across findings (and are stored once) and expand exactly.
struct HTMLFindingsData {
    private var ids: [String: Int] = ["": 0]
    private(set) var strings: [String] = [""]

    /// Fields 2–13 and up to 19 values of other evidence can stand in a template.
    static let placeholders = 31

    static func write(_ findings: [Finding], now: Timestamp, to sink: inout ReportSink) throws {
        var data = HTMLFindingsData()
        try sink.append("<script type=\"application/json\" id=\"aa-findings\">[\n")
        for (index, finding) in findings.enumerated() {
            try sink.append((index == 0 ? "[" : ",[") + data.row(finding, now: now) + "]\n")
        }
        try sink.append("]</script>\n<script type=\"application/json\" id=\"aa-strings\">[")
        for (index, text) in data.strings.enumerated() {
            try sink.append((index == 0 ? "" : ",") + Escaping.scriptJSON(text))
        }
        try sink.append("]</script>\n")
    }

    /// The string's index in the table (`text` is already as shown).
    mutating func id(_ text: String) -> Int {
        if let id = ids[text] { return id }
        ids[text] = strings.count
        strings.append(text)
        return strings.count - 1
    }

    /// One finding's fields, joined by commas.
    mutating func row(_ finding: Finding, now: Timestamp) -> String {
        let e = finding.evidence
        let show = Escaping.terminal
        let json = Escaping.scriptJSON
        let grant: String
        switch finding.grantID {
        case .integer(let value): grant = String(value)
        case nil: grant = "\"\""
        case let other?: grant = json(show(other.description))
        }
        // Fields 2–13 as shown, then the other evidence.
        var values = [
            finding.accountID ?? "", e["username"] ?? "", finding.grantID?.description ?? "", finding.orgID ?? "",
            e["organisation"] ?? "", Triage.orgType(of: finding), e["level"] ?? "", e["expected"] ?? "", e["found"] ?? "",
            e["granted_by"] ?? "", e["granted_at"] ?? "", e["approved_by"] ?? "",
        ].map(show)
        let rest = e.items.filter { !HTMLFindingsData.ownColumn.contains($0.label) }
        values += rest.map { show($0.value) }
        let restField =
            rest.isEmpty
            ? "0" : "[" + ([id(rest.map(\.label).joined(separator: " "))] + rest.map { id(show($0.value)) }).map(String.init).joined(separator: ",") + "]"
        let candidates = Candidates(values)
        let prefix = finding.rule + ":"
        let key: String
        if case .integer(let value) = finding.grantID, finding.key == prefix + "grant:" + String(value) {
            key = "0"
        } else if let account = finding.accountID, FindingKey.encode(account) == account, finding.key == prefix + "account:" + account {
            key = "1"
        } else {
            key = json(show(finding.key.hasPrefix(prefix) ? String(finding.key.dropFirst(prefix.count)) : finding.key))
        }
        var fields: [String] = [
            String(finding.severity.rank), String(id(show(finding.rule))), json(values[0]), json(values[1]), grant,
            String(id(values[3])), String(id(values[4])), String(id(values[5])), String(id(values[6])), String(id(values[7])),
            String(id(values[8])), String(id(values[9])), json(values[10]), String(id(values[11])),
            String(id(HTMLFindingsData.template(show(finding.message), candidates))),
            String(id(HTMLFindingsData.template(show(finding.action), candidates))), restField, key,
            String(finding.change.map { $0 == .persisting ? 2 : finding.subjectChangedSinceBaseline ? 3 : 1 } ?? 0), String(id(show(finding.waiver?.summary ?? ""))),
            String(finding.waiver.map { $0.state == .waived ? 1 : 2 } ?? 0), String(id(finding.history?.summary(at: now) ?? "")),
        ]
        while fields.count > 16, fields.last == "0" { fields.removeLast() }
        return fields.joined(separator: ",")
    }

    /// Evidence labels with a field of their own.
    static let ownColumn: Set = ["username", "organisation", "org_type", "level", "expected", "found", "granted_by", "granted_at", "approved_by"]

    /// `text` with each occurrence of a value (4 bytes or more, longest first) replaced by
    /// U+0001 + its index. Works on UTF-8 bytes, so it replaces whole characters only.
    static func template(_ text: String, _ values: [String]) -> String {
        template(text, Candidates(values))
    }

    /// The values that can stand in a template, longest first, as byte patterns: worked out once
    /// per finding for both its message and its action.
    struct Candidates {
        var values: [(index: Int, pattern: BytePattern)]

        init(_ values: [String]) {
            let order = values.indices.prefix(HTMLFindingsData.placeholders).filter { values[$0].utf8.count >= 4 }
                .sorted { values[$0].utf8.count > values[$1].utf8.count }
            self.values = order.map { ($0, BytePattern(Array(values[$0].utf8))) }
        }
    }

    /// Each value in turn, every occurrence left to right (not overlapping) replaced. Each
    /// search is linear (`BytePattern`), so a template costs at most its length times the number
    /// of values, whatever they hold.
    static func template(_ text: String, _ candidates: Candidates) -> String {
        var bytes = Array(text.utf8)
        for (index, pattern) in candidates.values {
            // Most values do not occur: look before building anything.
            guard var position = pattern.firstOccurrence(in: bytes, from: 0) else { continue }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var copied = 0
            while true {
                out.append(contentsOf: bytes[copied..<position])
                out.append(UInt8(1 + index))
                copied = position + pattern.bytes.count
                guard let next = pattern.firstOccurrence(in: bytes, from: copied) else { break }
                position = next
            }
            out.append(contentsOf: bytes[copied...])
            bytes = out
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A template back to its text (what the page's script does).
    static func expand(_ template: String, _ values: [String]) -> String {
        var out = ""
        for scalar in template.unicodeScalars {
            let index = Int(scalar.value) - 1
            if index >= 0, index < placeholders, index < values.count { out += values[index] } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
