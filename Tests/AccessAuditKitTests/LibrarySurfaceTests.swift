import Foundation
import Testing

/// docs/LIBRARY.md and docs/public-api.txt (the compiler's list of the public symbols, which
/// `Scripts/check-public-api.sh` holds the build to) agree: every public type is named in the
/// doc's surface, every type named there is public, and nothing the doc calls `package` is.
struct LibrarySurfaceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The top-level public types of docs/public-api.txt (`struct Finding: …`; nested types have a dot).
    static func publicTypes() throws -> Set<String> {
        let list = try String(contentsOf: root.appendingPathComponent("docs/public-api.txt"), encoding: .utf8)
        var types = Set<String>()
        for line in list.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 2)
            guard words.count >= 2, ["struct", "enum", "class", "protocol"].contains(words[0]),
                  words[1].hasSuffix(":"), !words[1].contains(".") else { continue }
            types.insert(String(words[1].dropLast()))
        }
        return types
    }

    /// The type names in backticks (`Name`, not `Name.member` or `name`) between two headings of the doc.
    static func namedTypes(from start: String, to end: String) throws -> Set<String> {
        let doc = try String(contentsOf: root.appendingPathComponent("docs/LIBRARY.md"), encoding: .utf8)
        let section = try #require(doc.range(of: start)).upperBound
        let stop = try #require(doc.range(of: end, range: section..<doc.endIndex)).lowerBound
        let pieces = doc[section..<stop].split(separator: "`", omittingEmptySubsequences: false)
        var names = Set<String>()
        // Odd pieces are inside backticks.
        for (index, piece) in pieces.enumerated() where index % 2 == 1 {
            guard let first = piece.first, first.isUppercase,
                  piece.allSatisfy({ $0.isLetter || $0.isNumber }) else { continue }
            names.insert(String(piece))
        }
        return names
    }

    @Test("every public type is in docs/LIBRARY.md's surface, and every type named there is public")
    func surfaceMatchesTheDoc() throws {
        let types = try Self.publicTypes()
        let documented = try Self.namedTypes(from: "- **Opening input**", to: "Everything else is `package`")
        #expect(types.count > 50)
        #expect(types.subtracting(documented).sorted() == [], "public in public-api.txt, not in LIBRARY.md")
        #expect(documented.subtracting(types).sorted() == [], "in LIBRARY.md's surface, not public")
    }

    @Test("no type docs/LIBRARY.md lists as package is public")
    func hiddenStaysHidden() throws {
        let hidden = try Self.namedTypes(from: "Everything else is `package`", to: "To make something public")
        #expect(hidden.count > 20)
        #expect(hidden.intersection(try Self.publicTypes()).sorted() == [], "listed as package in LIBRARY.md, public in public-api.txt")
    }
}
