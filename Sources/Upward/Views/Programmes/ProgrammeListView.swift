/// The programmes: all of them for coordinators, those open for applications, and the person's own applications
/// (`programmes.leaf`).
struct ProgrammeListView: Encodable {
    struct MyApplication: Encodable {
        var programme: ProgrammeSummary
        /// For the status badge's CSS class only.
        var status: String
        var statusLabel: String
        /// Where the person stands and the next step (a line per pairing once matched), as on the home page.
        var standing: [StandingLine]
        /// Several pairings in one programme: each line names its partners.
        var namesPartners: Bool
    }

    var coordinator: Bool
    var programmes: [ProgrammeSummary]
    var open: [ProgrammeSummary]
    var mine: [MyApplication]
    var newLink = WebRoute.newProgramme.link()
}
