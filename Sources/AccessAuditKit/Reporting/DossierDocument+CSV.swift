extension DossierDocument {
    /// The document as CSV, written as the audit's CSV is (`CSVRenderer`): the byte order mark,
    /// the title and meta lines as `#` lines, then each section's table: its header (even with no
    /// rows) and its rows, every field through `Escaping.csvField`. For the one-table reports
    /// (`exposure`, `timeline`); with several sections, each table is preceded by its title as a
    /// `#` line. Paragraphs, and the `empty` text of a table with no rows, are `#` lines above the
    /// header, so a reader that skips comments sees only tables.
    func csv() -> String {
        var out = CSVRenderer.byteOrderMark
        for line in [title] + meta { out += CSVRenderer.comment(line) }
        for section in sections {
            if sections.count > 1 { out += CSVRenderer.comment(section.title) }
            for paragraph in section.paragraphs { out += CSVRenderer.comment(paragraph) }
            if section.rows.isEmpty, section.paragraphs.isEmpty { out += CSVRenderer.comment(section.empty) }
            guard !section.header.isEmpty else { continue }
            out += CSVRenderer.record(section.header)
            for row in section.rows { out += CSVRenderer.record(row) }
        }
        return out
    }
}
