extension AuditConfig {
    /// `--print-config`: the effective settings as a file `--config` accepts. The settings a
    /// file can hold (`fail_on`, `format`, `dormant_days`, `disabled_rules`, `severity`) are YAML;
    /// the others (command, clock, paths, flags) are comments, since only the command line sets them.
    package static func printed(_ settings: [(String, String)]) -> String {
        var file: [String] = []
        var severities: [String] = []
        var commandLine: [String] = []
        for (key, value) in settings {
            switch key {
            case "fail_on", "format", "dormant_days": file.append("\(key): \(value)")
            case "disabled_rules": file.append("disabled_rules: [\(value.split(separator: ",").joined(separator: ", "))]")
            case _ where key.hasPrefix("severity."): severities.append("  \(key.dropFirst("severity.".count)): \(value)")
            default: commandLine.append("#   \(key): \(Escaping.terminal(value))")
            }
        }
        if !severities.isEmpty { file += ["severity:"] + severities }
        let header = ["# access-audit effective settings (flags over the config file over defaults); --config accepts this file."]
        let comments = commandLine.isEmpty ? [] : ["# Set on the command line only:"] + commandLine
        return (header + file + comments).joined(separator: "\n") + "\n"
    }
}
