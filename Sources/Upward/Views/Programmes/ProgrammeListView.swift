/// The programmes: all of them for coordinators, those open for applications, and the person's own applications
/// (`programmes.leaf`).
struct ProgrammeListView: Encodable {
    struct MyApplication: Encodable {
        var programme: ProgrammeSummary
        /// For the status badge's CSS class only.
        var status: String
        var statusLabel: String
    }

    var coordinator: Bool
    var programmes: [ProgrammeSummary]
    var open: [ProgrammeSummary]
    var mine: [MyApplication]
    var newLink = WebRoute.newProgramme.link()
}
