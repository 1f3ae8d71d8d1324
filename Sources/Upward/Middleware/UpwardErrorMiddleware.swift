import Vapor

/// An error an API client can act on, sent as RFC 9457 `application/problem+json`.
struct Problem: AbortError, Content {
    var type: String = "about:blank"
    var title: String
    var statusCode: UInt
    var detail: String
    /// Row-level problems, e.g. from a directory import.
    var errors: [ImportIssue]?
    /// Field-level problems of a JSON body or form, one per field to fix.
    var fields: [FieldIssue]?

    init(_ status: HTTPStatus, _ detail: String, errors: [ImportIssue]? = nil, fields: [FieldIssue]? = nil) {
        self.title = status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
        self.fields = fields
    }

    static let mediaType = HTTPMediaType(type: "application", subType: "problem+json")

    var status: HTTPResponseStatus { HTTPResponseStatus(statusCode: Int(statusCode)) }
    var reason: String { detail }

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, errors, fields
    }
}

/// One input field that needs fixing, and how.
struct FieldIssue: Codable, Equatable, Sendable {
    var field: String
    var message: String
}

/// Input that cannot be saved as it is: every field to fix, so a form or client can show them all at once.
struct InvalidInput: AbortError {
    var issues: [FieldIssue]
    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String {
        issues.count == 1 ? issues[0].message : "\(issues.count) fields need fixing: " + issues.map(\.message).joined(separator: " ")
    }

    /// The message for one field, if it has one.
    func message(_ field: String) -> String? { issues.first { $0.field == field }?.message }
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
        var fields: [FieldIssue]?
        var headers = HTTPHeaders()
        switch error {
        case let problem as Problem:
            (status, detail, issues, fields) = (problem.status, problem.detail, problem.errors, problem.fields)
        case let invalid as InvalidInput:
            (status, detail, fields) = (invalid.status, invalid.reason, invalid.issues)
        case let abort as any AbortError where abort.status == .payloadTooLarge:
            (status, detail) = (abort.status, "What you sent is larger than Upward accepts here (\(BodyLimit.describe(BodyLimit.of(request)))). Send less: shorten the text, or split the file.")
        case let abort as any AbortError:
            (status, detail, headers) = (abort.status, abort.reason, abort.headers)
        default:
            request.logger.report(error: error)
            (status, detail) = (.internalServerError, "Something went wrong on our side. Try again; if it keeps happening, tell your administrator.")
        }
        if request.url.path.hasPrefix("/api/") {
            let problem = Problem(status, detail, errors: issues, fields: fields)
            let response = Response(status: status, headers: headers, body: .init(data: (try? JSONEncoder().encode(problem)) ?? Data()))
            response.headers.contentType = Problem.mediaType
            if status == .unauthorized {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            }
            return response
        }
        if status == .unauthorized {
            let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            var link = URLComponents()
            link.path = WebRoute.signIn.link()
            link.queryItems = [URLQueryItem(name: "next", value: next)]
            return request.redirect(to: link.string ?? WebRoute.signIn.link())
        }
        do {
            let page = try await request.page("error", title: status.reasonPhrase,
                                              ErrorView(status: Int(status.code), title: status.reasonPhrase, detail: detail),
                                              status: status)
            for (name, value) in headers { page.headers.replaceOrAdd(name: name, value: value) }
            return page
        } catch {
            let response = Response(status: status, headers: headers, body: .init(string: "\(status.code) \(status.reasonPhrase): \(detail)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}
