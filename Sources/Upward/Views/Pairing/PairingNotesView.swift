import Foundation

/// The notes a member may read on the pairing or on one meeting (`pairing-notes.leaf`, inside the space's and a
/// meeting's page): their own, and what partners shared. A partner's private note is never in it.
struct PairingNotesView: Encodable {
    struct Line: Encodable {
        /// For the ids of its edit field.
        var id: String
        var author: String
        var mine: Bool
        var shared: Bool
        var text: String
        var when: String
        /// Where its author's share, unshare, edit and delete buttons post.
        var action: String
    }

    var lines: [Line]
    /// Where a new note posts, and the meeting it is on (empty for a note on the pairing).
    var action: String
    var meetingID: String
    var text: FieldState
    var shared: Bool
    var writable: Bool
    /// "Share with Sam Lee", naming who would read it.
    var shareLabel: String

    /// `readers`: the partners who would read a shared note here (on a board's meeting, the holder and its advisor).
    init(
        _ notes: [Note], in space: PairingSpaceService.Space, meeting: UUID?, readers: [String],
        typed: (text: String, shared: Bool, error: String?)? = nil
    ) {
        let zone = space.myZone
        lines = notes.map { note in
            Line(
                id: note.id?.uuidString.lowercased() ?? "", author: space.name(of: note.authorID), mine: note.authorID == space.myPersonID,
                shared: note.shared, text: note.text, when: ZonedTime.moment(note.createdAt, in: zone),
                action: WebRoute.note.link(space.pairingID, note.id ?? UUID()))
        }
        action = WebRoute.notes.link(space.pairingID)
        meetingID = meeting?.uuidString ?? ""
        text = FieldState(value: typed?.text ?? "", error: typed?.error)
        shared = typed?.shared ?? false
        writable = space.isWritable
        shareLabel = "Share with \(Self.list(readers))"
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "my partner" }
        return names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }
}
