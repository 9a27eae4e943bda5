extension SubjectPass {
    /// CONTRACT.md §6: during each of the subject's `level-exceeds-policy` intervals, every release
    /// its grant reached (rank(level) >= rank(release)) that its holder's organisation type may not
    /// see (rank(release) > rank(max_level)), over the overlap with the release's pre-release window
    /// [generated_at, published_at). The level and organisation may change inside an interval (a
    /// `change`, a `move`), so the condition is checked on each stretch the state was constant;
    /// touching stretches join into one exposure. An overlap of no length is no exposure.
    func preRelease(of releases: [Release]) -> [PreReleaseExposure] {
        var found: [PreReleaseExposure] = []
        for interval in intervals where interval.interval.rule == "level-exceeds-policy" {
            let span = interval.interval
            let stretches = self.stretches(of: span.grantID, from: span.start, to: span.end)
            for release in releases {
                let windowEnd = release.publishedAt ?? span.end
                var open: (Timestamp, Timestamp)?
                func close() {
                    guard let (start, end) = open, start < end else { return open = nil }
                    found.append(
                        PreReleaseExposure(
                            releaseID: release.releaseID, title: release.title, level: release.level, grantID: span.grantID,
                            from: start, to: end, generatedAt: release.generatedAt, publishedAt: release.publishedAt))
                    open = nil
                }
                for stretch in stretches {
                    let sees = stretch.rank.map { $0 >= release.rank } ?? false && stretch.maxRank.map { release.rank > $0 } ?? false
                    let start = max(stretch.from, release.generatedAt), end = min(stretch.to, windowEnd)
                    guard sees, start < end else {
                        close()
                        continue
                    }
                    if let current = open, current.1 == start { open = (current.0, end) } else {
                        close()
                        open = (start, end)
                    }
                }
                close()
            }
        }
        return found.sorted { ($0.from, $0.grantID, $0.releaseID ?? "") < ($1.from, $1.grantID, $1.releaseID ?? "") }
    }

    /// The constant-state stretches of `grant` within [from, to].
    private func stretches(of grant: GrantID, from: Timestamp, to: Timestamp) -> [(from: Timestamp, to: Timestamp, rank: Int64?, maxRank: Int64?)] {
        let samples = states[grant] ?? []
        // The state in force at `from` is the last one recorded at or before it.
        var result: [(from: Timestamp, to: Timestamp, rank: Int64?, maxRank: Int64?)] = []
        var current = samples.last { $0.at <= from }
        var start = from
        for sample in samples where sample.at > from && sample.at < to {
            if let state = current { result.append((start, sample.at, state.rank, state.maxRank)) }
            current = sample
            start = sample.at
        }
        if let state = current { result.append((start, to, state.rank, state.maxRank)) }
        return result
    }
}
