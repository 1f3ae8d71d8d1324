import Vapor

/// Headers that every response carries, pages, the API, static files and errors alike.
/// Upward needs no JavaScript, so the policy allows no script at all, and no inline style.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    /// Send `Strict-Transport-Security`: only when people reach Upward over HTTPS.
    let https: Bool

    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'none'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers: [(String, String)] = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ] + (https ? [("Strict-Transport-Security", "max-age=31536000; includeSubDomains")] : [])
        for (name, value) in headers {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        // API answers carry people's data: never kept by a shared cache or the browser.
        if request.url.path.hasPrefix("/api/"), !response.headers.contains(name: .cacheControl) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}

/// Refuses a NUL character (`%00`) in the address or in a form: no database column can store one (PostgreSQL
/// rejects it), and no name, email or search needs one. JSON bodies are checked where they are decoded.
struct NulCharacterMiddleware: AsyncMiddleware {
    static let refusal = Abort(.badRequest, reason: "Text may not contain a NUL character (%00). Remove it and try again.")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.url.string.range(of: "%00", options: .caseInsensitive) != nil { throw Self.refusal }
        return try await next.respond(to: request)
    }

    /// For a collected form body.
    static func check(_ request: Request) throws {
        guard request.headers.contentType == .urlEncodedForm, let body = request.body.string else { return }
        if body.range(of: "%00", options: .caseInsensitive) != nil || body.contains("\u{0}") { throw refusal }
    }
}

/// A path that exists with another method answers 405 with `Allow`, not 404 (TRACE, a DELETE on a page…).
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as any AbortError where error.status == .notFound {
            // No route, or a route that matched only through a parameter (`GET /people/import` reaching a person).
            let allowed = Self.methods(for: request.url.path, in: request.application.routes)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let names = allowed.sorted().joined(separator: ", ")
            var problem = Abort(.methodNotAllowed, reason: "\(request.method.rawValue) is not supported here; use \(names).")
            problem.headers.replaceOrAdd(name: HTTPHeaders.Name.allow, value: names)
            throw problem
        }
    }

    /// The methods routes answer at this path, by name.
    static func methods(for path: String, in routes: Routes) -> Set<String> {
        let segments = path.split(separator: "/").map(String.init)
        let matching = routes.all.map { route in (route, route.path.filter { $0 != .constant("") }) }.filter { _, template in
            template.count == segments.count && zip(template, segments).allSatisfy { component, segment in
                switch component {
                case .constant(let value): value == segment
                case .parameter: true
                default: false
                }
            }
        }
        // As the router does: where some route names this segment as a constant, a parameter there does not match
        // (`/people/import` is the import, not a person called "import").
        let exact = matching.filter { _, template in
            template.enumerated().allSatisfy { k, component in
                if case .parameter = component {
                    return !matching.contains { other in other.1[k] == .constant(segments[k]) }
                }
                return true
            }
        }
        var found = Set(exact.map { $0.0.method.rawValue })
        if found.contains("GET") { found.insert("HEAD") }
        return found
    }
}
