import Fluent
import Foundation
import Vapor

// MARK: Private notes

extension PairingSpaceService {
    /// Notes one member keeps in one pairing.
    static let notesPerAuthor = 1_000

    /// The notes this member may read — their own, and what partners shared — newest first; on one meeting when
    /// `meeting` is given, else on the pairing itself (not on any meeting) when `pairingOnly`, else all.
    func notes(_ space: Space, meeting: Meeting? = nil, pairingOnly: Bool = false) async throws -> [Note] {
        var query = Note.query(on: database).filter(\.$pairing.$id == space.pairingID)
            .group(.or) { $0.filter(\.$authorID == space.myPersonID).filter(\.$shared == true) }
        if let meeting { query = query.filter(\.$meeting.$id == meeting.id) } else if pairingOnly { query = query.filter(\.$meeting.$id == nil) }
        let notes = try await query.sort(\.$createdAt, .descending).with(\.$meeting).all()
        return notes.filter { space.sees($0, meeting: $0.meeting) }
    }

    func note(_ space: Space, _ noteID: UUID?) async throws -> Note {
        guard let noteID, let note = try await Note.query(on: database).filter(\.$id == noteID).filter(\.$pairing.$id == space.pairingID)
            .with(\.$meeting).first(), space.sees(note, meeting: note.meeting) else {
            throw Problem(.notFound, "You have no note with that id in this pairing.")
        }
        return note
    }

    static func checkNote(_ text: String) throws -> String {
        let text = text.trimmed
        var issues = TextLimit.problems([("text", text, TextLimit.paragraph)])
        if text.isEmpty { issues.append(FieldIssue(field: "text", message: "Write something in the note first.")) }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return text
    }

    @discardableResult
    func addNote(_ space: Space, text: String, meeting meetingID: UUID? = nil, shared: Bool) async throws -> Note {
        try space.requireWritable()
        let text = try Self.checkNote(text)
        let meeting = try await meetingID.asyncMap { try await self.meeting(space, $0) }
        let count = try await Note.query(on: database).filter(\.$pairing.$id == space.pairingID).filter(\.$authorID == space.myPersonID).count()
        guard count < Self.notesPerAuthor else {
            throw Problem(.conflict, "You already keep \(count) notes in this pairing, the most one person keeps; add to or delete an old one.")
        }
        let note = Note()
        note.$pairing.id = space.pairingID
        note.$meeting.id = try meeting?.requireID()
        note.authorID = space.myPersonID
        note.text = text
        note.shared = shared
        try await database.writeTransaction { db in try await note.create(on: db) }
        return note
    }

    /// Only its author changes or shares a note.
    @discardableResult
    func updateNote(_ space: Space, _ noteID: UUID?, text: String?, shared: Bool?) async throws -> Note {
        try space.requireWritable()
        let note = try await authored(space, noteID)
        if let text { note.text = try Self.checkNote(text) }
        if let shared { note.shared = shared }
        try await database.writeTransaction { db in try await note.save(on: db) }
        return note
    }

    func deleteNote(_ space: Space, _ noteID: UUID?) async throws {
        try space.requireWritable()
        let note = try await authored(space, noteID)
        try await database.writeTransaction { db in try await note.delete(on: db) }
    }

    private func authored(_ space: Space, _ noteID: UUID?) async throws -> Note {
        let note = try await note(space, noteID)
        guard note.authorID == space.myPersonID else { throw Problem(.forbidden, "Only the note's author can change it.") }
        return note
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
