import Foundation

/// The home page: what each role needs first (`home.leaf`). The template shows a role's cards by the booleans here.
struct HomeView: Encodable {
    struct Links: Encodable {
        var directory = WebRoute.directory.link()
        var importPeople = WebRoute.importPeople.link()
        var users = WebRoute.users.link()
        var outbox = WebRoute.outbox.link()
        var account = WebRoute.account.link()
        var tokens = WebRoute.tokens.link()
        var programmes = WebRoute.programmes.link()
    }

    struct LastImport: Encodable {
        var when: String
        var by: String
        var summary: String
    }

    /// Accounts and the outbox.
    var isAdmin: Bool
    /// The directory's size and the last import.
    var managesDirectory: Bool
    /// Their own directory entry and programmes.
    var isParticipant: Bool
    /// The organisation in numbers.
    var isSponsor: Bool
    var firstName: String
    var people: Int
    var departmentCount: Int
    var departments: [DirectoryService.DepartmentCount]
    var hiddenDepartments: Int
    var lastImport: LastImport?
    var pendingInvitations: Int
    var accounts: Int
    var me: PersonRow?
    var myManager: PersonRow?
    /// Where the participant stands in each programme (a line per pairing once matched), and the next step.
    var standing: [StandingLine]
    var directoryEmpty: Bool
    var links = Links()
    /// The coordinator's programmes by stage, each with its one next action.
    var programmesNext: [ProgrammeLine] = []
    /// A sponsor's programmes in aggregate (never a group under five).
    var programmeFigures: [ProgrammeFigures] = []
    /// The coordinator's newest alerts raised by what a member answered.
    var urgentAlerts: [AlertLine] = []

    struct AlertLine: Encodable {
        var label: String
        var pair: String
        var programme: String
        var detail: String
        var link: String

        init(_ a: ProgrammeOverview.UrgentAlert) {
            (label, pair, programme, detail) = (a.kind.label, a.pair, a.programmeName, a.detail)
            link = WebRoute.healthPairing.link(a.programmeID, a.pairingID)
        }
    }

    struct ProgrammeLine: Encodable {
        var name: String
        var stage: String
        var stageKey: String
        var text: String
        var link: String
        var linkLabel: String
        var urgent: Bool

        init(_ a: ProgrammeOverview.NextAction) {
            (name, stage, stageKey, text, linkLabel, urgent) = (a.name, a.status.label, a.status.rawValue, a.text, a.label, a.urgent)
            link = switch a.target {
            case .programme: WebRoute.programme.link(a.programmeID)
            case .invitations: WebRoute.invitations.link(a.programmeID)
            case .selection: WebRoute.selection.link(a.programmeID)
            case .matching: WebRoute.matching.link(a.programmeID)
            case .health: WebRoute.programmeHealth.link(a.programmeID)
            }
        }
    }

    struct ProgrammeFigures: Encodable {
        var name: String
        var stage: String
        var tooSmall: Bool
        var lines: [String]

        init(_ a: ProgrammeOverview.Aggregate) {
            name = a.name
            stage = a.status.label
            tooSmall = a.pairings == nil
            let percent = { (v: Int?) in v.map { "\($0)%" } ?? "not shown (a group under 5)" }
            var lines: [String] = []
            if let pairings = a.pairings {
                lines.append("\(pairings) pairings, \(a.participants.map(String.init) ?? "under 5") people")
                lines.append("Agreements signed: \(percent(a.signedPercent)) · meetings held of due: \(percent(a.heldPercent)) · check-ins answered: \(percent(a.checkInPercent))")
                if !a.states.isEmpty {
                    lines.append("Pairs " + a.states.map { "\($0.0.label.lowercased()): \($0.1)" }.joined(separator: ", ")
                                 + (a.statesHidden > 0 ? ", in other states: \(a.statesHidden)" : ""))
                }
            }
            self.lines = lines
        }
    }

    init(role: Role, firstName: String, people: Int, departmentCount: Int, departments: [DirectoryService.DepartmentCount],
         hiddenDepartments: Int, lastImport: LastImport?, pendingInvitations: Int, accounts: Int, me: PersonRow?, myManager: PersonRow?,
         standing: [StandingLine] = []) {
        isAdmin = role == .admin
        managesDirectory = role == .admin || role == .coordinator
        isParticipant = role == .participant
        isSponsor = role == .sponsor
        self.firstName = firstName
        self.people = people
        self.departmentCount = departmentCount
        self.departments = departments
        self.hiddenDepartments = hiddenDepartments
        self.lastImport = lastImport
        self.pendingInvitations = pendingInvitations
        self.accounts = accounts
        self.me = me
        self.myManager = myManager
        self.standing = standing
        directoryEmpty = people == 0
    }
}

/// One line of a participant's standing (`ParticipantStatus`) as a page shows it: the sentence and the one link
/// that takes the next step. Used by the home page and the programmes list.
struct StandingLine: Encodable {
    var programme: String
    var programmeLink: String
    /// "with Sam Lee", for a pairing's line.
    var partners: String?
    var text: String
    var link: String
    var linkLabel: String
    /// A step to take (shown as a button), rather than something to wait for.
    var isAction: Bool
    /// The pairing's space, when the main link goes elsewhere in it.
    var spaceLink: String?

    init(_ status: ParticipantStatus) {
        let programmeID = status.programmeID
        programme = status.programmeName
        programmeLink = WebRoute.programme.link(programmeID)
        partners = status.partners.isEmpty ? nil : "with " + status.partners.joined(separator: " and ")
        text = status.text
        isAction = status.isAction
        let pairing = status.pairingID
        func inSpace(_ make: (UUID) -> String, _ label: String) -> (String, String) {
            pairing.map { (make($0), label) } ?? (WebRoute.programme.link(programmeID), "Open the programme")
        }
        func meeting(_ label: String) -> (String, String) {
            guard let pairing, let meeting = status.meetingID else { return inSpace({ WebRoute.pairing.link($0) }, "Open your pairing") }
            return (WebRoute.meeting.link(pairing, meeting), label)
        }
        (link, linkLabel) = switch status.kind {
        case .finishApplication: (WebRoute.apply.link(programmeID), "Finish your application")
        case .applicationClosed, .awaitingSelection, .waitlisted, .notSelected, .withdrawn, .awaitingMatch:
            (WebRoute.programme.link(programmeID), "Open the programme")
        case .setPreferences: (WebRoute.preferences.link(programmeID), "Matching preferences")
        case .answerMatch: (WebRoute.myMatch.link(programmeID), "Answer your match")
        case .awaitingPartners: (WebRoute.myMatch.link(programmeID), "Your match")
        case .prepare: inSpace({ WebRoute.preparation.link($0) }, "Read the preparation")
        case .sign: inSpace({ WebRoute.agreement.link($0) }, "Read and sign the agreement")
        case .log: meeting("Log the meeting")
        case .setGoal: inSpace({ WebRoute.newGoal.link($0) }, "Set a goal")
        case .meet: meeting("The meeting")
        case .planMeeting: inSpace({ WebRoute.newMeeting.link($0) }, "Plan a meeting")
        case .finished: inSpace({ WebRoute.pairing.link($0) }, "Open your pairing")
        }
        let space = status.hasSpace ? pairing.map { WebRoute.pairing.link($0) } : nil
        spaceLink = space == link ? nil : space
    }
}
