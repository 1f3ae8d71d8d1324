import Vapor

/// A step that asks "are you sure?" before an action that cannot be undone, as a page with a form: it works
/// without JavaScript. The action's own form posts once without `confirmed`, gets this page, and posts again with it.
struct ConfirmView: Encodable {
    struct Hidden: Encodable {
        var name: String
        var value: String
    }

    var heading: String
    var message: String
    var details: [String] = []
    var action: String
    var fields: [Hidden] = []
    var confirmLabel: String
    var cancelLink: String
    var destructive = false
}

extension Request {
    /// Whether the form came back from the confirmation page.
    var isConfirmed: Bool { (try? content.get(String.self, at: "confirmed")) == "yes" }  // absent means not yet confirmed

    /// The confirmation page for `view`, answering 200 so the person reads it and decides.
    func confirmation(_ view: ConfirmView) async throws -> Response {
        try await page("confirm", title: view.heading, view)
    }
}
