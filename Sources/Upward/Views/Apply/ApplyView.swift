/// The application form (`apply.leaf`).
struct ApplyView: Encodable {
    struct SkillRow: Encodable {
        var index: Int
        var name: String
        var level: String
    }

    struct RoleChoice: Encodable {
        var value: String
        var label: String
        var checked: Bool
        var reason: String?
    }

    /// How many skill rows the form offers on each side.
    static let skillRows = 5

    var p: ProgrammeSummary
    var action: String
    var roles: [RoleChoice]
    var offered: [SkillRow]
    var sought: [SkillRow]
    var skillsInUse: [String]
    var topics: [Checkbox]
    var communication: [Checkbox]
    var availability: [Checkbox]
    var f: [String: String]
    var commitmentChecked: Bool
    var diversityConsentChecked: Bool
    var errors: [String: String]
    var errorList: [String]
    var status: String?
    var submitted: Bool
    var commitment: String
    var zones: [String]
    var programmeLink: String
    var levels = ["1", "2", "3", "4", "5"]
}
