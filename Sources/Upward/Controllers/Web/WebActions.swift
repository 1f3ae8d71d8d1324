import Foundation
import Vapor

extension Request {
    /// Does a form's action and answers with what it returns, usually a redirect with a flash. When the rules refuse
    /// the action — any `AbortError`: a `Problem`, an `InvalidInput`, a 404 for something gone meanwhile — the person
    /// goes back to `back` with "`refusal`: the reason" as the flash instead of an error page, and can try again.
    ///
    ///     try await req.redirecting(to: back, onRefusal: "Not done") {
    ///         try await service.perform(action, on: p)
    ///         return req.redirect(to: back, flash: "Done.")
    ///     }
    func redirecting(to back: String, onRefusal refusal: String, _ action: () async throws -> Response) async throws -> Response {
        do {
            return try await action()
        } catch let error as any AbortError {
            return redirect(to: back, flash: "\(refusal): \(error.reason)")
        }
    }
}

/// Links with a query string, and query strings read back: built with `URLComponents`, so every name and value is
/// percent-encoded on the way out and percent-decoded on the way in.
enum WebLink {
    /// `path` followed by `?` and the items, or `path` alone when there are none.
    static func path(_ path: String, query items: [URLQueryItem]) -> String {
        var c = URLComponents()
        c.path = path
        c.queryItems = items.isEmpty ? nil : items
        return c.string ?? path
    }

    /// The query alone, percent-encoded, as a form's hidden field carries it.
    static func query(_ items: [URLQueryItem]) -> String {
        var c = URLComponents()
        c.queryItems = items
        return c.percentEncodedQuery ?? ""
    }

    /// The items of a query string (without its `?`), percent-decoded; nothing when it is absent or malformed.
    static func items(of query: String?) -> [URLQueryItem] {
        guard let query, let c = URLComponents(string: "?" + query) else { return [] }
        return c.queryItems ?? []
    }
}
