/// Reads a saved `--format json` report finding by finding (`JSONPullParser`), checking every
/// value it keeps: a report read back is input like any other, and a value this tool never writes
/// (an unknown severity, rule or state, a wrong type, another schema) is exit 2 naming the file and
/// the finding rather than something silently skipped or counted as nothing.
enum SavedReport {
    /// What a finding's evidence says about the people involved (for `waive`'s checks).
    struct People {
        var username: String?
        var grantedBy: String?
        /// An `invalid-event` finding's event's actor.
        var actor: String?
    }

    /// Every rule id, looked up without building a `RuleDescription` per finding.
    private static let ruleIDs = Dictionary(uniqueKeysWithValues: RuleRegistry.ids.map { ($0, $0) })

    /// Calls `body` with each finding in order; returns the report's header (findings empty).
    static func read(_ path: String, _ body: (BaselineFinding, People) throws -> Void) throws -> Baseline {
        // Only a regular file: a FIFO would hang the read.
        try InputFile.check(path)
        var parser = try JSONPullParser(path: path)
        var baseline = Baseline(findings: [], path: path)
        var schema: String?
        var sawFindings = false
        // The latest first sighting, checked against the report's own `now` once both are read.
        var latest: (firstSeen: Timestamp, finding: String)?
        do {
            guard try parser.atObject() else { throw AuditError.baseline(path, "not a JSON object (use a report written with --format json)") }
            try parser.readObject { parser, name in
                switch name {
                case "schema_version":
                    guard case .number(let text) = try parser.readScalar() else { throw AuditError.baseline(path, "schema_version is not a number") }
                    schema = text
                case "command":
                    let command = try string(&parser, path, "command")
                    guard command == "audit" || command == "replay" else {
                        throw AuditError.baseline(path, "command '\(command ?? "null")' is not audit or replay (a report of findings)")
                    }
                case "database":
                    baseline.database = try string(&parser, path, "database")
                case "now":
                    let text = try string(&parser, path, "now")
                    guard let now = text.flatMap(Timestamp.init) else {
                        throw AuditError.baseline(path, "now '\(text ?? "null")' is not a timestamp (YYYY-MM-DDTHH:MM:SSZ)")
                    }
                    baseline.now = now
                case "run":
                    (baseline.runFiles, baseline.failOn) = try run(&parser, path)
                case "findings":
                    guard try parser.atArray() else { throw AuditError.baseline(path, "`findings` is not a list") }
                    sawFindings = true
                    try parser.readArray { parser, index in
                        let (finding, people) = try self.finding(&parser, path, index + 1)
                        if let seen = finding.history?.firstSeen, latest.map({ seen > $0.firstSeen }) ?? true {
                            latest = (seen, "finding \(index + 1) (\(finding.key))")
                        }
                        try body(finding, people)
                    }
                default:
                    try parser.skipValue()
                }
            }
            try parser.expectEnd()
        } catch let failure as JSONPullParser.Failure {
            throw AuditError.baseline(path, "not valid JSON: \(failure.message) (use a report written with --format json)")
        }
        guard schema != nil || sawFindings else {
            throw AuditError.baseline(path, "not an access-audit JSON report (schema_version 1 with findings)")
        }
        guard schema == String(JSONRenderer.schemaVersion) else {
            throw AuditError.baseline(path, "schema_version \(schema ?? "(none)") is not \(JSONRenderer.schemaVersion)")
        }
        guard sawFindings else { throw AuditError.baseline(path, "the report has no `findings`") }
        if let latest {
            guard let now = baseline.now else { throw AuditError.baseline(path, "\(latest.finding) has a first_seen but the report has no `now`") }
            guard latest.firstSeen <= now else {
                throw AuditError.baseline(path, "\(latest.finding): first_seen \(latest.firstSeen) is later than the report's now \(now)")
            }
        }
        return baseline
    }

    /// One finding object; `number` counts from 1.
    private static func finding(_ parser: inout JSONPullParser, _ path: String, _ number: Int) throws -> (BaselineFinding, People) {
        var key: String?
        var rule: String?
        var severity: Severity?
        var accountID: String?
        var grantID: String?
        var message = ""
        var subjectPairs: [(String, String)]?
        var people = People()
        var firstSeen: Timestamp?, runsSeen: Int?
        var waived = false
        var problem: String?
        guard try parser.atObject() else { throw AuditError.baseline(path, "finding \(number) is not an object") }
        // Problems wait for the whole object so the message can name the finding by its key.
        func check(_ ok: Bool, _ why: @autoclosure () -> String) {
            if !ok, problem == nil { problem = why() }
        }
        try parser.readObject { parser, name in
            let scalar: JSONPullParser.Scalar?
            switch name {
            case "subject", "waiver", "evidence":
                guard try parser.atObject() else {
                    try parser.skipValue()
                    check(false, "`\(name)` is not an object")
                    return
                }
                scalar = nil
            default:
                if try parser.atContainer() {
                    try parser.skipValue()
                    scalar = .null
                    check(!["key", "rule", "severity", "account_id", "grant_id", "org_id", "message", "baseline", "first_seen", "runs_seen"].contains(name), "`\(name)` is not a single value")
                    return
                }
                scalar = try parser.readScalar()
            }
            switch (name, scalar) {
            case ("key", .string(let text)?): key = text
            case ("rule", .string(let text)?):
                // The registry's own copy of the id: one string per rule, not per finding.
                rule = ruleIDs[text] ?? text
                check(ruleIDs[text] != nil, "unknown rule '\(text)'")
            case ("severity", .string(let text)?):
                severity = Severity(rawValue: text)
                check(severity != nil, "unknown severity '\(text)' (expected one of \(Severity.allCases.reversed().map(\.rawValue).joined(separator: ", ")))")
            case ("account_id", .string(let text)?): accountID = text
            case ("account_id", .null?), ("org_id", .null?), ("org_id", .string(_)?), ("grant_id", .null?): break
            case ("grant_id", .string(let text)?): grantID = text
            case ("grant_id", .number(let text)?):
                check(Int64(text) != nil, "grant_id \(text) is not an integer")
                grantID = text
            case ("message", .string(let text)?): message = text
            case ("first_seen", .string(let text)?):
                firstSeen = FindingHistory.parseFirstSeen(text)
                check(firstSeen != nil, "first_seen '\(text)' is not a time written YYYY-MM-DDTHH:MM:SSZ")
            case ("runs_seen", .number(let text)?):
                runsSeen = Int(text)
                check((runsSeen ?? 0) >= 1, "runs_seen \(text) is not a whole number of runs (1 or more)")
            case ("baseline", .string(let text)?):
                check(BaselineChange(rawValue: text) != nil, "unknown baseline state '\(text)' (expected new or persisting)")
            case ("subject", nil):
                var pairs: [(String, String)] = []
                try parser.readObject { parser, field in
                    let value = try parser.readScalarIfAny()
                    guard case .string(let text)? = value else { return check(false, "subject `\(field)` is not a string") }
                    check(FindingSubject.names.contains(field), "unknown subject field '\(field)'")
                    pairs.append((field, text))
                }
                subjectPairs = pairs
            case ("waiver", nil):
                var state: String?
                try parser.readObject { parser, field in
                    guard field == "status" else { return try parser.skipValue() }
                    let value = try parser.readScalarIfAny()
                    guard case .string(let text)? = value else { return check(false, "waiver status is not a string") }
                    state = text
                }
                waived = state == WaiverStatus.State.waived.rawValue
                let states = WaiverStatus.State.allCases.map(\.rawValue)
                check(state.map(states.contains) == true, "unknown waiver status '\(state ?? "null")' (expected one of \(states.joined(separator: ", ")))")
            case ("evidence", nil):
                try parser.readObject { parser, field in
                    guard field == "username" || field == "granted_by" || field == "actor" else { return try parser.skipValue() }
                    let value = try parser.readScalarIfAny()
                    if field == "actor", case .null? = value { return }
                    guard case .string(let text)? = value else { return check(false, "evidence `\(field)` is not a string") }
                    if field == "username" { people.username = text }
                    if field == "granted_by" { people.grantedBy = text }
                    if field == "actor" { people.actor = text }
                }
            case ("key", _), ("rule", _), ("severity", _), ("account_id", _), ("org_id", _), ("grant_id", _), ("message", _),
                ("baseline", _), ("first_seen", _), ("runs_seen", _):
                check(false, "`\(name)` has the wrong type")
            default:
                break
            }
        }
        check((firstSeen == nil) == (runsSeen == nil), "first_seen and runs_seen come together (one of them is missing)")
        let name = key.map { "finding \(number) (\($0))" } ?? "finding \(number)"
        if let problem { throw AuditError.baseline(path, "\(name): \(problem)") }
        // A plain message or account id is written twice (beside the subject and in it): keep one
        // copy of the text, so a baseline's memory does not double with its messages.
        let subject = subjectPairs.map { pairs in
            FindingSubject(encoded: pairs.map { name, value in (name, value == message ? message : value == accountID ? accountID ?? value : value) })
        }
        guard let key, let rule, let severity else {
            throw AuditError.baseline(path, "\(name) has no \(key == nil ? "key" : rule == nil ? "rule" : "severity")")
        }
        var finding = BaselineFinding(
            key: key, rule: rule, severity: severity, accountID: accountID, grantID: grantID, message: message, subject: subject,
            history: firstSeen.flatMap { first in runsSeen.map { FindingHistory(firstSeen: first, runsSeen: $0) } })
        finding.waived = waived
        return (finding, people)
    }

    private static func string(_ parser: inout JSONPullParser, _ path: String, _ name: String) throws -> String? {
        switch try parser.readScalarIfAny() {
        case .string(let text)?: return text
        case .null?: return nil
        default: throw AuditError.baseline(path, "`\(name)` is not a string")
        }
    }

    /// `run.files[].path`, and `run.settings.fail_on` (nil when absent: an older report).
    private static func run(_ parser: inout JSONPullParser, _ path: String) throws -> (files: [String], failOn: FailThreshold?) {
        var paths: [String] = []
        var failOn: FailThreshold?
        guard try parser.atObject() else { throw AuditError.baseline(path, "`run` is not an object") }
        try parser.readObject { parser, name in
            if name == "settings", try parser.atObject() {
                return try parser.readObject { parser, field in
                    guard field == "fail_on" else { return try parser.skipValue() }
                    let text = try string(&parser, path, "run.settings.fail_on")
                    guard let threshold = text.flatMap(FailThreshold.init(rawValue:)) else {
                        let known = FailThreshold.allCases.map(\.rawValue).joined(separator: ", ")
                        throw AuditError.baseline(path, "run.settings.fail_on '\(text ?? "null")' is not one of \(known)")
                    }
                    failOn = threshold
                }
            }
            guard name == "files", try parser.atArray() else { return try parser.skipValue() }
            try parser.readArray { parser, _ in
                guard try parser.atObject() else { throw AuditError.baseline(path, "`run.files` holds something other than objects") }
                try parser.readObject { parser, field in
                    guard field == "path" else { return try parser.skipValue() }
                    if let file = try string(&parser, path, "run.files[].path") { paths.append(file) }
                }
            }
        }
        return (paths, failOn)
    }
}

extension JSONPullParser {
    /// The next value if it is a scalar; a container is skipped and gives nil.
    mutating func readScalarIfAny() throws -> Scalar? {
        if try atContainer() {
            try skipValue()
            return nil
        }
        return try readScalar()
    }
}
