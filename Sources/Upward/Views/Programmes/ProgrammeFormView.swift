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
    /// The check-in schedule and health thresholds, one numeric field each (their names have dots, so a list).
    var healthFields: [HealthField] = []
    var fitCheck = true
    /// Open the section when one of its fields needs fixing.
    var healthOpen = false

    struct HealthField: Encodable {
        var name: String
        /// An id without dots, for the label.
        var id: String
        var label: String
        var hint: String
        var value: String
        var error: String?
    }

    /// The fields from the form's values and messages.
    static func healthFields(_ f: [String: String], errors: [String: String]) -> [HealthField] {
        ProgrammeInput.healthSettings(.defaults, .defaults).map { s in
            HealthField(name: s.field, id: s.field.replacingOccurrences(of: ".", with: "-"), label: s.label,
                        hint: "\(s.range.lowerBound)–\(s.range.upperBound); default \(s.value)", value: f[s.field] ?? String(s.value), error: errors[s.field])
        }
    }
}
