/// A report made of titled sections, each a table or paragraphs, rendered as text, Markdown or
/// HTML (`investigate`, `actors`). Every cell and paragraph is raw text, database values
/// included, and is escaped here for the format: `Escaping.terminal`, `markdownCell`, `html`.
public struct DossierDocument: Sendable {
    package struct Section: Sendable {
        package var title: String
        package var header: [String] = []
        package var rows: [[String]] = []
        /// Paragraphs after the table (or instead of it).
        package var paragraphs: [String] = []
        /// Shown when the section has no rows and no paragraphs.
        package var empty: String = "none"
    }

    package var title: String
    /// Lines under the title: what was read, the window, the settings.
    package var meta: [String]
    package var sections: [Section]

    /// The formats a dossier is written in.
    public enum Format: String, Sendable, CaseIterable {
        case text, json, markdown, html
    }

    package func render(_ format: Format) -> String {
        switch format {
        case .text, .json: text()
        case .markdown: markdown()
        case .html: html()
        }
    }

    func text() -> String {
        let safe = Escaping.terminal
        var lines = [safe(title)] + meta.map(safe)
        for section in sections {
            lines += ["", safe(section.title)]
            if !section.rows.isEmpty {
                lines += TextTable.render(header: section.header, rows: section.rows.map { $0.map(safe) }).map { "  " + $0 }
            }
            lines += section.paragraphs.map { "  " + safe($0) }
            if section.rows.isEmpty, section.paragraphs.isEmpty { lines.append("  " + section.empty) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func markdown() -> String {
        let cell = Escaping.markdownCell
        var out = "# \(cell(title))\n\n" + meta.map { cell($0) + "  \n" }.joined()
        for section in sections {
            out += "\n## \(cell(section.title))\n\n"
            if !section.rows.isEmpty {
                out += "| " + section.header.map(cell).joined(separator: " | ") + " |\n|"
                    + String(repeating: "---|", count: section.header.count) + "\n"
                for row in section.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
                if !section.paragraphs.isEmpty { out += "\n" }
            }
            out += section.paragraphs.map { cell($0) + "\n\n" }.joined()
            if section.rows.isEmpty, section.paragraphs.isEmpty { out += "_\(cell(section.empty))_\n" }
        }
        return out
    }

    func html() -> String {
        let h = Escaping.html
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(h(title))</title>
            <style>\(DossierDocument.style)</style></head><body>
            <h1>\(h(title))</h1>

            """
        out += meta.map { "<p class=\"meta\">\(h($0))</p>\n" }.joined()
        for section in sections {
            out += "<section><h2>\(h(section.title))</h2>\n"
            if !section.rows.isEmpty {
                out += "<table><thead><tr>" + section.header.map { "<th scope=\"col\">\(h($0))</th>" }.joined() + "</tr></thead><tbody>\n"
                for row in section.rows { out += "<tr>" + row.map { "<td>\(h($0))</td>" }.joined() + "</tr>\n" }
                out += "</tbody></table>\n"
            }
            out += section.paragraphs.map { "<p>\(h($0))</p>\n" }.joined()
            if section.rows.isEmpty, section.paragraphs.isEmpty { out += "<p class=\"empty\">\(h(section.empty))</p>\n" }
            out += "</section>\n"
        }
        return out + "</body></html>\n"
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b;max-width:80em}\
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}.meta{color:#555;margin:.2em 0}\
        table{border-collapse:collapse;margin:.4em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;\
        vertical-align:top}th{background:#f2f2f2}.empty{color:#777;font-style:italic}\
        @media print{body{margin:0}}
        """
}
