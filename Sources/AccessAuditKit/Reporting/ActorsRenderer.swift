/// `actors` reports: JSON `{"schema_version": 1, "actors": [...]}`, or a table as text, Markdown or HTML.
public enum ActorsRenderer {
    public static func render(_ report: ActorsReport, format: DossierDocument.Format) -> String {
        switch format {
        case .json: json(report).serialized(pretty: true) + "\n"
        case .text, .markdown, .html: document(report).render(format)
        }
    }

    package static func json(_ report: ActorsReport) -> JSONValue {
        .object([
            ("schema_version", .int(JSONRenderer.schemaVersion)),
            (
                "actors",
                .array(
                    report.actors.map { actor in
                        .object([
                            ("actor", .string(actor.actor)), ("granted", .int(Int64(actor.granted))),
                            ("approved", .int(Int64(actor.approved))),
                            ("breaking", .object(Exposure.rules.map { ($0, .int(Int64(actor.breaking[$0] ?? 0))) })),
                            ("self_approved", .int(Int64(actor.selfApproved))),
                            ("missing_approval", .int(Int64(actor.missingApproval))),
                            ("out_of_policy", .int(Int64(actor.outOfPolicy))),
                            ("first_breach", .string(actor.firstBreach?.description)),
                            ("last_breach", .string(actor.lastBreach?.description)),
                        ])
                    })
            ),
        ])
    }

    static func document(_ report: ActorsReport) -> DossierDocument {
        let window = [report.from.map { "from \($0)" }, report.to.map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
        let meta = [
            "database \(report.database); allocations from \(report.source)" + (window.isEmpty ? "" : ", \(window)"),
            "out of policy: an allocation whose grant broke level-exceeds-policy, scope-outside-remit, missing-approval or self-approved right after it",
        ]
        let header = ["actor", "granted", "approved", "out of policy"] + Exposure.rules + ["self-approved own", "missing approval", "first breach", "last breach"]
        let rows = report.actors.map { actor in
            [actor.actor, String(actor.granted), String(actor.approved), String(actor.outOfPolicy)]
                + Exposure.rules.map { String(actor.breaking[$0] ?? 0) }
                + [String(actor.selfApproved), String(actor.missingApproval), actor.firstBreach?.description ?? "-", actor.lastBreach?.description ?? "-"]
        }
        return DossierDocument(
            title: "access-audit actors", meta: meta,
            sections: [.init(title: "Actors (\(report.actors.count))", header: header, rows: rows, empty: "No allocations in the window.")])
    }
}
