/// The directory's search page (`directory.leaf`).
struct DirectoryView: Encodable {
    var q: String
    var includeLeavers: Bool
    var canIncludeLeavers: Bool
    var departments: [SelectOption]
    var levels: [SelectOption]
    var people: [PersonRow]
    var total: Int
    var page: Int
    var pageCount: Int
    var previous: String?
    var next: String?
    var action = WebRoute.directory.link()
}
