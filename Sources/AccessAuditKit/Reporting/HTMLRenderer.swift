/// One self-contained HTML file that works offline: summary by severity, rule (with an inline
/// SVG chart) and organisation type, then a findings table a reviewer can sort (click a header)
/// and filter (text box, severity, rule; or click a severity card; `report.html#critical` opens
/// filtered). No external resources; every
/// database value through `Escaping.html`.
public struct HTMLRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport, context: RenderContext, to sink: inout ReportSink) throws {
        let h = Escaping.html
        try sink.append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>access-audit \(h(report.command)): \(h(report.database))</title>
            <style>\(HTMLRenderer.style)</style></head><body>
            <h1>access-audit \(h(report.command))</h1>
            <p class="meta"><b>\(h(report.database))</b> at \(report.now): \(report.accounts) accounts, \(report.grants) grants, \
            <b id="total">\(report.findings.count)</b> findings.</p>

            """)
        if let metadata = report.metadata { try sink.append("<p class=\"meta\"><small>\(h(metadata.summary))</small></p>\n") }
        for statement in report.statements { try sink.append("<p class=\"note\">\(h(statement))</p>\n") }
        try sink.append("<div class=\"cards\">\n")
        for (severity, count) in report.findingsBySeverity {
            try sink.append(
                "<button class=\"card \(severity.rawValue)\" data-filter=\"\(severity.rawValue)\"><span>\(count)</span>\(severity.rawValue)</button>\n")
        }
        try sink.append("<button class=\"card all\" data-filter=\"\"><span>\(report.findings.count)</span>all</button>\n</div>\n")
        try sink.append("<div class=\"summary\"><section><h2>By rule</h2>\n" + HTMLRenderer.chart(report) + "</section>\n")
        try sink.append("<section><h2>By organisation type</h2><table class=\"small\"><tr><th>org type</th><th>findings</th></tr>\n")
        for (type, count) in HTMLRenderer.byOrgType(report) {
            try sink.append("<tr><td>\(h(type))</td><td class=\"n\">\(count)</td></tr>\n")
        }
        try sink.append("</table></section></div>\n<h2>Findings</h2>\n")
        try sink.append("""
            <div class="filters"><input id="q" type="search" placeholder="Filter: account, organisation, level, person…">
            <select id="sev"><option value="">every severity</option>\
            \(Severity.allCases.reversed().map { "<option>\($0.rawValue)</option>" }.joined())</select>
            <select id="rule"><option value="">every rule</option>\
            \(RuleRegistry.ids.map { "<option>\($0)</option>" }.joined())</select> <span id="shown"></span></div>
            <table id="findings"><thead><tr>
            """)
        let columns = ["severity", "rule", "account", "username", "grant", "organisation", "org type", "level", "expected", "found", "granted by", "granted at", "approved by", "message"]
        for (index, column) in columns.enumerated() {
            try sink.append("<th data-col=\"\(index)\">\(column)</th>")
        }
        try sink.append("</tr></thead><tbody>\n")
        for finding in report.findings {
            let e = finding.evidence
            let organisation = [finding.orgID, e["organisation"]].compactMap { $0 }.joined(separator: " ")
            let cells = [
                finding.rule, finding.accountID ?? "", e["username"] ?? "", finding.grantID?.description ?? "", organisation,
                e["org_type"] ?? finding.orgType ?? "", e["level"] ?? "", e["expected"] ?? "", e["found"] ?? "", e["granted_by"] ?? "",
                e["granted_at"] ?? "", e["approved_by"] ?? "",
            ]
            let details = e.items.map { "<dt>\(h($0.label))</dt><dd>\(h($0.value))</dd>" }.joined()
            try sink.append(
                "<tr class=\"\(finding.severity.rawValue)\" data-severity=\"\(finding.severity.rawValue)\" data-rank=\"\(finding.severity.rank)\" data-rule=\"\(h(finding.rule))\">"
                    + "<td class=\"sev\">\(finding.severity.rawValue)</td>" + cells.map { "<td>\(h($0))</td>" }.joined()
                    + "<td>\(finding.change == .new ? (finding.subjectChangedSinceBaseline ? "<b>NEW</b> (subject changed) " : "<b>NEW</b> ") : "")\(finding.waiver.map { "<p class=\"waiver\">\(h($0.summary))</p>" } ?? "")\(h(finding.message))<details><summary>evidence</summary><dl>\(details)<dt>key</dt><dd>\(h(finding.key))</dd></dl></details></td></tr>\n")
            try sink.flushIfFull()
        }
        try sink.append("</tbody></table>\n<script>\(HTMLRenderer.script)</script>\n</body></html>\n")
    }

    /// Findings per organisation type, most first.
    static func byOrgType(_ report: AuditReport) -> [(String, Int)] {
        var counts: [String: Int] = [:]
        for finding in report.findings { counts[finding.evidence["org_type"] ?? finding.orgType ?? "(none)", default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    /// A horizontal bar chart of findings per rule, as inline SVG.
    static func chart(_ report: AuditReport) -> String {
        let rows = report.findingsByRule
        let maximum = max(1, rows.map(\.count).max() ?? 1)
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"Findings by rule\" viewBox=\"0 0 560 \(rows.count * 22 + 4)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (index, row) in rows.enumerated() {
            let y = index * 22 + 2
            let width = row.count == 0 ? 0 : max(2, row.count * 300 / maximum)
            let severity = RuleRegistry.description(of: row.rule)?.severity.rawValue ?? "info"
            svg += "<text x=\"180\" y=\"\(y + 14)\" text-anchor=\"end\">\(row.rule)</text>"
                + "<rect class=\"\(severity)\" x=\"188\" y=\"\(y + 3)\" width=\"\(width)\" height=\"14\"/>"
                + "<text x=\"\(194 + width)\" y=\"\(y + 14)\">\(row.count)</text>\n"
        }
        return svg + "</svg>\n"
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1b1b}h1{margin:0 0 4px}h2{font-size:16px;margin:20px 0 8px}
        .meta,.note{color:#444}.note{background:#fff8e1;padding:6px 10px;border-left:3px solid #f0b400}
        .cards{display:flex;gap:8px;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:8px 14px;background:#fafafa;cursor:pointer;font:inherit;text-align:left}
        .card span{display:block;font-size:22px;font-weight:700}.card.active{outline:2px solid #1b1b1b}
        .summary{display:flex;gap:32px;flex-wrap:wrap}.chart{width:560px;max-width:100%}.chart text{font-size:12px}
        rect.critical{fill:#b00020}rect.high{fill:#e65100}rect.medium{fill:#f0b400}rect.low{fill:#00838f}rect.info{fill:#9e9e9e}
        table{border-collapse:collapse}#findings{width:100%}th,td{border-bottom:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#f3f3f3;cursor:pointer;position:sticky;top:0;white-space:nowrap}td.n{text-align:right}
        tr.critical td.sev{background:#b00020;color:#fff}tr.high td.sev{background:#e65100;color:#fff}tr.medium td.sev{background:#f0b400}
        tr.low td.sev{background:#b2ebf2}tr.info td.sev{background:#eee}.filters{margin:8px 0;display:flex;gap:8px;align-items:center}
        #q{min-width:320px;padding:4px}#findings td:last-child{min-width:300px}details{margin-top:4px}.waiver{margin:0 0 4px;padding:2px 6px;background:#e8f5e9}dl{display:grid;grid-template-columns:max-content auto;gap:0 10px;margin:4px 0}dt{color:#666}dd{margin:0}
        """

    static let script = """
        (function(){var t=document.getElementById('findings'),b=t.tBodies[0],q=document.getElementById('q'),
        s=document.getElementById('sev'),r=document.getElementById('rule'),n=document.getElementById('shown');
        function apply(){var x=q.value.toLowerCase(),c=0;for(var i=0;i<b.rows.length;i++){var w=b.rows[i];
        var ok=(!s.value||w.dataset.severity===s.value)&&(!r.value||w.dataset.rule===r.value)&&(!x||w.textContent.toLowerCase().indexOf(x)>=0);
        w.style.display=ok?'':'none';if(ok)c++;}n.textContent=c+' shown';}
        [q,s,r].forEach(function(e){e.addEventListener('input',apply);});
        document.querySelectorAll('.card').forEach(function(k){k.addEventListener('click',function(){s.value=k.dataset.filter;
        document.querySelectorAll('.card').forEach(function(o){o.classList.toggle('active',o===k);});apply();});});
        var dir={};t.tHead.querySelectorAll('th').forEach(function(h){h.addEventListener('click',function(){var col=+h.dataset.col,d=dir[col]=-(dir[col]||-1);
        var rows=Array.prototype.slice.call(b.rows);rows.sort(function(a,z){var u=col===0?+z.dataset.rank:a.cells[col].textContent,
        v=col===0?+a.dataset.rank:z.cells[col].textContent;return (u<v?-1:u>v?1:0)*d;});rows.forEach(function(w){b.appendChild(w);});});});
        var h=location.hash.slice(1);if(h){s.value=h;document.querySelectorAll('.card').forEach(function(o){o.classList.toggle('active',o.dataset.filter===h);});}
        apply();})();
        """
}
