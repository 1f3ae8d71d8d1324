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
        return response
    }
}

/// A path that exists with another method answers 405 with `Allow`, not 404 (TRACE, a DELETE on a page…).
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as RouteNotFound {
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
        var found = Set<String>()
        for route in routes.all {
            let template = route.path.filter { $0 != .constant("") }
            guard template.count == segments.count else { continue }
            let matches = zip(template, segments).allSatisfy { component, segment in
                switch component {
                case .constant(let value): value == segment
                case .parameter: true
                default: false
                }
            }
            if matches { found.insert(route.method.rawValue) }
        }
        if found.contains("GET") { found.insert("HEAD") }
        return found
    }
}
