import Yams

/// Composes a YAML file into nodes, turning any syntax error into an `AuditError` that names the
/// file and the line (for waivers and the configuration file alike).
enum YAMLInput {
    static func compose(_ text: String, error make: (_ line: Int, _ message: String) -> AuditError) throws -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw make(mark.line, problem)
            case .reader(let problem, let offset, _, _):
                throw make(offset.map { text.utf8.prefix($0).count { $0 == UInt8(ascii: "\n") } + 1 } ?? 1, problem)
            default:
                throw make(1, "\(error)")
            }
        }
    }
}
