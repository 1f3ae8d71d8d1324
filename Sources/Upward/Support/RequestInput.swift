import Foundation
import Matching
import Vapor

/// Reading what a request sends, strictly: a body that is not what the route takes is refused with a message
/// naming what to fix, never read as "nothing" and replaced by defaults.
extension Request {
    /// The JSON body as `T`. Malformed JSON is a 400; a wrong type, a missing field or a key `T` does not have
    /// is a 422 naming the field. `whenAbsent` is used only when the request has no body at all.
    func jsonBody<T: Decodable>(_ type: T.Type, whenAbsent: T? = nil) throws -> T {
        let bytes = body.data.map { Data(buffer: $0) } ?? Data()
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            if let whenAbsent { return whenAbsent }
            throw Problem(.badRequest, "Send a JSON body (Content-Type: application/json); this request has none.")
        }
        if let contentType = headers.contentType, !(contentType.type == "application"
            && (contentType.subType == "json" || contentType.subType.hasSuffix("+json"))) {
            throw Problem(.unsupportedMediaType, "Send the body as JSON with Content-Type: application/json (it came as \(contentType.type)/\(contentType.subType)).")
        }
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            throw Problem(.badRequest, "The body is not valid JSON. Check its brackets, quotes and commas.")
        }
        let value: T
        do {
            value = try StrictInput.decoder.decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw InvalidInput(issues: [StrictInput.issue(for: error)])
        }
        if let field = StrictInput.firstNul(in: tree, path: "") {
            throw InvalidInput(issues: [FieldIssue(field: field, message: "\(field.isEmpty ? "The body" : field) contains a NUL character (\\u0000); remove it.")])
        }
        let unknown = StrictInput.unknownKeys(in: tree, of: value, path: "")
        if !unknown.isEmpty {
            throw InvalidInput(issues: unknown.map {
                FieldIssue(field: $0, message: "“\($0)” is not a field of this request. Check its spelling in the API documentation (/openapi.json).")
            })
        }
        return value
    }

    /// The query string as `T`: a value of the wrong type is a 422 naming the parameter.
    func strictQuery<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try query.decode(T.self)
        } catch let error as DecodingError {
            throw InvalidInput(issues: [StrictInput.issue(for: error)])
        }
    }
}

/// A whole number from a request, checked against its range before any arithmetic uses it.
struct BoundedInt {
    static func check(_ value: Int?, _ field: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            throw InvalidInput(issues: [FieldIssue(field: field, message: "\(field) must be between \(range.lowerBound) and \(range.upperBound); it was \(value).")])
        }
        return value
    }
}

/// Which page of a list a request asks for: `page` from 1, `per` within the list's maximum.
struct PageRequest: Sendable, Equatable {
    static let maxPage = 1_000_000
    var page: Int
    var per: Int

    /// Validated: a page below 1, a page beyond `maxPage` or a `per` outside `1…maxPer` is refused with a message.
    init(page: Int?, per: Int?, defaultPer: Int = 25, maxPer: Int) throws {
        var issues: [FieldIssue] = []
        if let page, !(1...Self.maxPage).contains(page) {
            issues.append(FieldIssue(field: "page", message: "page must be between 1 and \(Self.maxPage); it was \(page)."))
        }
        if let per, !(1...maxPer).contains(per) {
            issues.append(FieldIssue(field: "per", message: "per must be between 1 and \(maxPer); it was \(per)."))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        self.page = page ?? 1
        self.per = per ?? min(defaultPer, maxPer)
    }

    /// For pages: a number out of range is brought into it (a link someone typed still shows a page).
    init(lenientPage page: Int?, per: Int) {
        self.page = min(max(page ?? 1, 1), Self.maxPage)
        self.per = per
    }

    /// Rows to skip; cannot overflow because both factors are bounded.
    var offset: Int { (page - 1) * per }

    /// How many pages `total` rows fill (at least one, so an empty list still has its page).
    func pageCount(of total: Int) -> Int { max(1, (total + per - 1) / per) }
}

enum StrictInput {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The dotted path of the field a decoding error is about, and a sentence saying what it needs.
    static func issue(for error: DecodingError) -> FieldIssue {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return FieldIssue(field: field, message: "\(field) is required.")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return FieldIssue(field: field, message: "\(field.isEmpty ? "The body" : field) must be \(describe(type)).")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return FieldIssue(field: field, message: "\(field) cannot be null; give \(describe(type)).")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            // "Cannot initialize Role from invalid String value emperor": name the values that are allowed.
            let words = context.debugDescription.split(separator: " ")
            if words.starts(with: ["Cannot", "initialize"]), words.count > 2, let allowed = allowedValues[String(words[2])] {
                return FieldIssue(field: field, message: "\(field) must be one of: \(allowed.joined(separator: ", ")).")
            }
            return FieldIssue(field: field, message: "\(field.isEmpty ? "The body" : field) is not valid: \(context.debugDescription)")
        @unknown default:
            return FieldIssue(field: "", message: "The body does not have the expected shape.")
        }
    }

    /// The values of each enumeration a request may carry, by type name, for messages.
    static let allowedValues: [String: [String]] = {
        func values<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> (String, [String]) where T.RawValue == String {
            (String(describing: type), type.allCases.map(\.rawValue))
        }
        return Dictionary([
            values(Role.self), values(ProgrammeObjective.self), values(ProgrammeFormat.self), values(ProgrammeStatus.self),
            values(ProgrammeAction.self), values(ApplicationRole.self), values(ApplicationStatus.self),
            values(CommunicationChannel.self), values(Criterion.self), values(RunAdjustBody.Action.self),
            values(GoalLearner.self), values(GoalStatus.self), values(PairingSpaceService.MeetingAction.self),
            values(CheckInKind.self), values(FitAnswer.self), values(AlertStatus.self),
        ], uniquingKeysWith: { first, _ in first })
    }()

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "a \(type)"
        }
    }

    /// The path of the first string (or key) holding U+0000, which no database column can store.
    static func firstNul(in json: Any, path: String) -> String? {
        switch json {
        case let text as String:
            return text.unicodeScalars.contains("\u{0}") ? path : nil
        case let array as [Any]:
            for (k, item) in array.enumerated() { if let found = firstNul(in: item, path: "\(path)[\(k)]") { return found } }
            return nil
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let field = path.isEmpty ? key : "\(path).\(key)"
                if key.unicodeScalars.contains("\u{0}") { return field }
                if let found = firstNul(in: object[key] ?? NSNull(), path: field) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    /// Keys in the JSON that the decoded value has no property for, as dotted paths. The properties come from
    /// reflection, so every request type is checked without listing its keys twice. Dictionaries take any key.
    static func unknownKeys(in json: Any, of value: Any, path: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return [] }
            return unknownKeys(in: json, of: wrapped, path: path)
        case .collection, .set:
            guard let array = json as? [Any] else { return [] }
            return zip(array, mirror.children.map(\.value)).enumerated().flatMap { index, pair in
                unknownKeys(in: pair.0, of: pair.1, path: "\(path)[\(index)]")
            }
        case .struct, .class:
            guard let object = json as? [String: Any] else { return [] }
            var properties: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label { properties[label] = child.value }
            }
            return object.keys.sorted().flatMap { key -> [String] in
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let property = properties[key] else { return [field] }
                return unknownKeys(in: object[key] ?? NSNull(), of: property, path: field)
            }
        default:
            return []
        }
    }
}

/// The longest text Upward stores in each kind of field. Longer text is refused with a message naming the field,
/// so nothing a request sends can fill the database or a page with megabytes.
enum TextLimit {
    /// A name, a title, a skill or a topic.
    static let line = 200
    /// Goals, motivation, a ground rule, a note, a reason, a story.
    static let paragraph = 5_000
    /// Items in one list (topics, skills, interests, conversation starters…).
    static let listItems = 50

    /// A problem for each text over `limit` characters.
    static func problems(_ fields: [(field: String, text: String?, limit: Int)]) -> [FieldIssue] {
        fields.compactMap { field, text, limit in
            guard let text, text.count > limit else { return nil }
            return FieldIssue(field: field, message: "Keep \(field) to \(limit) characters or fewer (it has \(text.count)).")
        }
    }

    /// Problems for a list: too many items, or an item too long.
    static func problems(list field: String, _ items: [String], itemLimit: Int = line) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if items.count > listItems { issues.append(FieldIssue(field: field, message: "Keep \(field) to \(listItems) entries or fewer (it has \(items.count)).")) }
        if let long = items.first(where: { $0.count > itemLimit }) {
            issues.append(FieldIssue(field: field, message: "“\(long.prefix(20))…” in \(field) is too long: keep each entry to \(itemLimit) characters."))
        }
        return issues
    }

    /// Throws `InvalidInput` when any text is too long.
    static func check(_ fields: [(field: String, text: String?, limit: Int)]) throws {
        let issues = problems(fields)
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }
}
