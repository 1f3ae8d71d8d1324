import Foundation
import Vapor

/// Notes on the pairing or on a meeting: private to their author until shared; only the author shares, edits or
/// deletes one.
extension PairingWebController {
    func addNote(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let form = try form(req)
        let text = form["text"] ?? ""
        let shared = form["shared"] == "on"
        var meeting: Meeting?
        if let id = form["meetingID"]?.trimmed, !id.isEmpty {
            // A meeting that is not this pairing's (or not one this member sees) is a 404, never a note on the pairing.
            meeting = try await service.meeting(space, UUID(uuidString: id))
        }
        let back =
            try meeting.map { try WebRoute.meeting.link(space.pairingID, $0.requireID()) } ?? WebRoute.pairing.link(space.pairingID)
            + "#notes"
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                try await service.addNote(space, text: text, meeting: meeting?.id, shared: shared)
                return req.redirect(to: back, flash: shared ? "Note saved and shared." : "Note saved. Only you can read it.")
            } catch let invalid as InvalidInput {
                let typed = (text: text, shared: shared, error: invalid.message("text") ?? invalid.reason)
                if let meeting { return try await meetingPage(req, space, meeting, note: typed, status: .unprocessableEntity) }
                return try await overviewPage(req, space, note: typed, status: .unprocessableEntity)
            }
        }
    }

    func changeNote(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let note = try await service.note(space, req.parameters.get("noteID", as: UUID.self))
        let form = try form(req)
        let back =
            note.meeting.flatMap(\.id).map { WebRoute.meeting.link(space.pairingID, $0) } ?? WebRoute.pairing.link(space.pairingID)
            + "#notes"
        let id = note.id
        return try await req.redirecting(to: back, onRefusal: "Not changed") {
            switch form["action"] {
            case "share":
                try await service.updateNote(space, id, text: nil, shared: true)
                return req.redirect(to: back, flash: "Shared: your partners in it can read this note now.")
            case "unshare":
                try await service.updateNote(space, id, text: nil, shared: false)
                return req.redirect(to: back, flash: "No longer shared: only you can read this note.")
            case "edit":
                try await service.updateNote(space, id, text: form["text"] ?? "", shared: nil)
                return req.redirect(to: back, flash: "Note saved.")
            case "delete":
                guard note.authorID == space.myPersonID else { throw Problem(.forbidden, "Only the note's author can change it.") }
                if !req.isConfirmed {
                    return try await req.confirmation(
                        ConfirmView(
                            heading: "Delete this note?", message: "It is gone for good, for you and for anyone you shared it with.",
                            details: [String(note.text.prefix(200)) + (note.text.count > 200 ? "…" : "")],
                            action: try WebRoute.note.link(space.pairingID, note.requireID()),
                            fields: [.init(name: "action", value: "delete")],
                            confirmLabel: "Delete the note", cancelLink: back, destructive: true))
                }
                try await service.deleteNote(space, id)
                return req.redirect(to: back, flash: "Note deleted.")
            default:
                return req.redirect(to: back, flash: "Choose what to do with the note: share, stop sharing, edit or delete it.")
            }
        }
    }
}
