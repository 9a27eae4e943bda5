import Yams

/// `access-audit waive REPORT.json KEY …`: the waiver entry for one finding of a saved report,
/// with the finding's subject copied from the report, so nobody types a subject by hand.
public enum WaiverEntry {
    public struct Request: Sendable {
        public var report: String
        public var key: String
        public var reason: String
        public var owner: String
        public var approvedBy: String
        public var expires: String
        /// The clock the expiry is checked against, and `max_waiver_days`.
        public var now: Timestamp
        public var maxDays: Int

        public init(
            report: String, key: String, reason: String, owner: String, approvedBy: String, expires: String, now: Timestamp,
            maxDays: Int = AuditConfig.defaultMaxWaiverDays
        ) {
            self.report = report
            self.key = key
            self.reason = reason
            self.owner = owner
            self.approvedBy = approvedBy
            self.expires = expires
            self.now = now
            self.maxDays = maxDays
        }
    }

    /// One entry as a YAML list item indented for a `waivers:` file (it is also a waivers file on
    /// its own). It is read back exactly as `--waivers` reads a file and checked against the
    /// finding as a run would check it, so what this writes is what a run accepts.
    public static func yaml(_ request: Request) throws -> String {
        var found: (BaselineFinding, SavedReport.People)?
        _ = try SavedReport.read(request.report) { finding, people in
            if found == nil, finding.key == request.key { found = (finding, people) }
        }
        guard let (finding, people) = found else {
            throw AuditError.invalidArgument("\(request.report): no finding has the key '\(request.key)'")
        }
        guard let subject = finding.subject else {
            throw AuditError.invalidArgument("\(request.report): the finding \(request.key) has no subject (an older report): audit again first")
        }
        func quoted(_ text: String) -> Node { Node(text, .implicit, .doubleQuoted) }
        // The ids are in the key and the subject, not beside them: a top-level `account_id` would
        // make a waiver whose grant moved to another account stale instead of subject-changed,
        // and the report shows bytes that are not UTF-8 as U+FFFD, which could never match.
        let pairs: [(Node, Node)] = [
            ("key", quoted(finding.key)), ("rule", quoted(finding.rule)),
            ("reason", quoted(request.reason)), ("owner", quoted(request.owner)), ("approved_by", quoted(request.approvedBy)),
            ("expires", Node(request.expires)),
            ("subject", Node.mapping(Node.Mapping(subject.fields.map { (Node($0.name), quoted($0.value)) }))),
        ]
        let document = try Yams.serialize(node: .sequence(Node.Sequence([.mapping(Node.Mapping(pairs))])), indent: 2, width: -1)
        let entry = document.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        // Nothing from the report goes into the comment: an id with a line break must not end it.
        let text = "  # a \(finding.severity?.rawValue ?? "") finding, written by access-audit waive\n" + entry
        let source = "\(request.report) → \(request.key)"
        let waivers = try WaiverFile.parse(text, path: source)
        guard waivers.count == 1, let waiver = waivers.first, waiver.subject == subject, waiver.key == finding.key else {
            throw AuditError.invalidArgument("\(source): the written entry does not read back as the same waiver")
        }
        try waiver.checkExpiry(now: request.now, maxDays: request.maxDays)
        try waiver.checkPeople(key: finding.key, accountID: finding.accountID, username: people.username, grantedBy: people.grantedBy, actor: people.actor)
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}
