import AccessAuditKit
import ArgumentParser
import Foundation

extension AccessAudit {
    /// `access-audit generate OUT.db --accounts N [--seed S] [--clean]`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a realistic contract database with history, reproducible from a seed.",
            discussion: """
                The database describes the state at 2026-06-01T00:00:00Z: audit it with \
                --now 2026-06-01T00:00:00Z. Without --clean it holds a small share of every \
                problem the rules look for. OUT must not exist.
                """)

        @Argument(help: ArgumentHelp("The new database file.", valueName: "out.db"))
        var output: String

        @Option(help: "How many accounts.")
        var accounts: Int

        @Option(help: "The random seed: the same seed gives the same database.")
        var seed: UInt64 = 1

        @Flag(help: "Plant no problems: every rule stays quiet.")
        var clean = false

        @Option(help: ArgumentHelp(
            "The share of history events written out of event_id order (back-dated) and with occurred_at in other valid forms (offsets, fractions, a space for T): 0 keeps the logs in time order, 1 shuffles them whole.",
            valueName: "share"))
        var disorder: Double = 0

        func validate() throws {
            guard (1...DatabaseGenerator.maxAccounts).contains(accounts) else {
                throw ValidationError("--accounts must be from 1 to \(DatabaseGenerator.maxAccounts).")
            }
            guard (0...1).contains(disorder) else { throw ValidationError("--disorder must be from 0 to 1.") }
            // Every command reads a .sql file as SQL text: a SQLite file under that name could not
            // be audited.
            if output.lowercased().hasSuffix(".sql") {
                throw ValidationError("generate writes a SQLite database, but \(output) ends in .sql, which access-audit reads as SQL text: use a name like out.db.")
            }
        }

        func run() throws {
            try runMappingErrors {
                // lstat, not stat: a dangling symlink exists too, and SQLite would create its target.
                var info = stat()
                guard output != "-", lstat(output, &info) != 0, errno == ENOENT else {
                    throw AuditError.invalidArgument(
                        output == "-" ? "generate writes a database file, not standard output" : "\(output) already exists; generate writes a new file")
                }
                let start = Date()
                let summary: DatabaseGenerator.Summary
                do {
                    summary = try DatabaseGenerator.generate(
                        to: output, options: .init(accounts: accounts, seed: seed, clean: clean, disorder: disorder))
                } catch let error as SQLiteError {
                    try? FileManager.default.removeItem(atPath: output)
                    throw AuditError.output(output, error.message)
                }
                let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
                StandardError.write(
                    "generated \(output) in \(seconds) s: \(summary.organisations) organisations, "
                        + "\(summary.accounts) accounts, \(summary.grants) grants, \(summary.grantEvents) grant events, "
                        + "\(summary.accountEvents) account events, \(summary.releases) releases; audit it with --now \(DatabaseGenerator.now)\n")
                return 0
            }
        }
    }
}
