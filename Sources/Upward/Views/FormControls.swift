/// A form field's value and its message, if it needs fixing.
struct FieldState: Encodable {
    var value: String = ""
    var error: String? = nil
}

/// One `<option>` of a `<select>`.
struct SelectOption: Encodable {
    var value: String
    var label: String
    var selected: Bool
}

/// One checkbox, named by its own form field.
struct Checkbox: Encodable {
    var name: String
    var label: String
    var checked: Bool
}
