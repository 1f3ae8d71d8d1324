import Vapor

/// An error an API client can act on, sent as RFC 9457 `application/problem+json`.
struct Problem: AbortError, Content {
    var type: String = "about:blank"
    var title: String
    var statusCode: UInt
    var detail: String
    /// Row-level problems, e.g. from a directory import.
    var errors: [ImportIssue]?

    init(_ status: HTTPStatus, _ detail: String, errors: [ImportIssue]? = nil) {
        self.title = status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
    }

    static let mediaType = HTTPMediaType(type: "application", subType: "problem+json")

    var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: Int(statusCode)) }
    var reason: String { detail }

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, errors
    }
}

/// Turns every error into something a person can act on: problem+json under `/api/`,
/// a sign-in redirect or an error page for the web.
struct UpwardErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, to: request)
        }
    }

    func response(for error: any Error, to request: Request) async -> Response {
        let status: HTTPStatus
        let detail: String
        var issues: [ImportIssue]?
        switch error {
        case let problem as Problem:
            (status, detail, issues) = (problem.status, problem.detail, problem.errors)
        case let abort as any AbortError:
            (status, detail) = (abort.status, abort.reason)
        default:
            request.logger.report(error: error)
            (status, detail) = (.internalServerError, "Something went wrong on our side. Try again; if it keeps happening, tell your administrator.")
        }
        if request.url.path.hasPrefix("/api/") {
            let problem = Problem(status, detail, errors: issues)
            let response = Response(status: status, body: .init(data: (try? JSONEncoder().encode(problem)) ?? Data()))
            response.headers.contentType = Problem.mediaType
            if status == .unauthorized {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            }
            return response
        }
        if status == .unauthorized {
            let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            var link = URLComponents(string: WebRoute.signIn.link())!
            link.queryItems = [URLQueryItem(name: "next", value: next)]
            return request.redirect(to: link.string ?? WebRoute.signIn.link())
        }
        do {
            return try await request.page("error", title: status.reasonPhrase,
                                          ErrorView(status: Int(status.code), title: status.reasonPhrase, detail: detail),
                                          status: status)
        } catch {
            let response = Response(status: status, body: .init(string: "\(status.code) \(status.reasonPhrase): \(detail)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}
