/// One usable row of the optional `releases` table (CONTRACT.md §6): a statistical output that
/// exists from `generatedAt` and is published at `publishedAt` (nil: not yet).
public struct Release: Sendable, Hashable {
    public var releaseID: String?
    public var title: String?
    public var level: String
    /// rank(level): the release is visible to grants whose level's rank is at least this.
    public var rank: Int64
    public var generatedAt: Timestamp
    public var publishedAt: Timestamp?
}

/// A `releases` row that cannot be checked (unknown level, invalid timestamp): reported, never
/// dropped.
public struct ReleaseProblem: Sendable, Hashable {
    public var releaseID: String?
    public var title: String?
    public var reason: String
}

/// Reads `releases`.
package enum Releases {
    /// The table of CONTRACT.md §6.
    package static let table = ContractSchema.Table(
        name: "releases", columns: ["release_id", "title", "level", "generated_at", "published_at"], optional: true)

    /// nil when the table is absent; `AuditError.missingSchema` when it lacks a column. Rows come in
    /// table order; a blank `published_at` means not published.
    package static func read(
        _ connection: Connection, levels: LevelTable
    ) throws -> (releases: [Release], problems: [ReleaseProblem])? {
        var columns: Set<String> = []
        let statement = try connection.prepare(ContractSchema.columnsSQL)
        try statement.bind("releases", at: 1)
        try statement.forEachRow { row in
            if let name = row.text(0) { columns.insert(ContractSchema.asciiLowercased(name)) }
        }
        guard !columns.isEmpty else { return nil }
        let missing = table.columns.filter { !columns.contains($0) }
        guard missing.isEmpty else { throw AuditError.missingSchema(missing.map { "column releases.\($0)" }) }
        var releases: [Release] = []
        var problems: [ReleaseProblem] = []
        let sql = "SELECT release_id, title, level, generated_at, published_at FROM releases"
        try connection.prepare(sql).forEachRow { row in
            let id = row.text(0), title = row.text(1), level = row.text(2)
            let generatedText = row.text(3), publishedText = row.text(4)
            var reasons: [String] = []
            let rank = levels.rank(level)
            if rank == nil { reasons.append("level \(quoted(level)) is not a valid level") }
            let generated = Blank.isBlank(generatedText) ? nil : generatedText.flatMap(Timestamp.init)
            if generated == nil { reasons.append("generated_at \(quoted(generatedText)) is not a valid timestamp") }
            let published = Blank.isBlank(publishedText) ? nil : publishedText.flatMap(Timestamp.init)
            if !Blank.isBlank(publishedText), published == nil {
                reasons.append("published_at \(quoted(publishedText)) is not a valid timestamp")
            }
            guard reasons.isEmpty, let level, let rank, let generated else {
                problems.append(ReleaseProblem(releaseID: id, title: title, reason: reasons.joined(separator: "; ")))
                return
            }
            releases.append(
                Release(releaseID: id, title: title, level: level, rank: rank, generatedAt: generated, publishedAt: published))
        }
        return (releases, problems)
    }
}
