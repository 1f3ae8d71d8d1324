/// Designing or editing a programme (`programme-form.leaf`): the fields as text, a message per field, and the
/// lessons of earlier rounds.
struct ProgrammeFormView: Encodable {
    struct Lesson: Encodable {
        var round: Int
        var name: String
        var lessons: String
    }

    var heading: String
    var action: String
    var submitLabel: String
    var f: [String: String]
    var errors: [String: String]
    var errorList: [String]
    var formats: [SelectOption]
    var objectives: [SelectOption]
    var lessons: [Lesson]
    var cancel: String
}
