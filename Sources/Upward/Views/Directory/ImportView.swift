/// The directory import: the form, and a preview, result or problems of a file (`import.leaf`).
struct ImportView: Encodable {
    var summary: ImportSummary?
    var succeeded: Bool { summary?.succeeded ?? false }
    var fileName: String?
    var error: String?
    var required = DirectoryColumns.required
    var optional = DirectoryColumns.optional
    var action = WebRoute.importPeople.link()

    enum CodingKeys: String, CodingKey { case summary, succeeded, fileName, error, required, optional, action }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary, forKey: .summary)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(fileName, forKey: .fileName)
        try c.encode(error, forKey: .error)
        try c.encode(required, forKey: .required)
        try c.encode(optional, forKey: .optional)
        try c.encode(action, forKey: .action)
    }
}
