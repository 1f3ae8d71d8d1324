import FluentKit
import Foundation

/// A typed view of a text column that holds JSON: `@JSONColumn(\Programme.$topicsJSON, default: []) var topics: [String]`
/// reads and writes `topicsJSON` through `JSONText`. It goes through the Fluent field itself (`$topicsJSON`), so
/// setting a column that was never read does not trap. One declaration instead of a get/set pair per column; Fluent
/// ignores it (it is not a Fluent property), so the column stays the model's only stored form.
@propertyWrapper
struct JSONColumn<Value: Codable & Sendable>: Sendable {
    /// The model's text field (a `KeyPath<Model, FieldProperty<Model, String>>`; the wrapper is not generic over the
    /// enclosing model, so the type is checked when used).
    private let column: AnyKeyPath & Sendable
    private let fallback: Value

    init(_ column: AnyKeyPath & Sendable, default fallback: Value) {
        self.column = column
        self.fallback = fallback
    }

    /// Only the enclosing model's subscript below reads or writes the value.
    @available(*, unavailable, message: "JSONColumn works only on a class's property")
    var wrappedValue: Value {
        get { fallback }
        set {}
    }

    static subscript<Model: FluentKit.Model>(_enclosingInstance model: Model, wrapped _: ReferenceWritableKeyPath<Model, Value>,
                                       storage storage: ReferenceWritableKeyPath<Model, Self>) -> Value {
        get {
            let wrapper = model[keyPath: storage]
            guard let column = wrapper.column as? KeyPath<Model, FieldProperty<Model, String>>,
                  let text = model[keyPath: column].value else { return wrapper.fallback }
            return JSONText.decode(Value.self, text, default: wrapper.fallback)
        }
        set {
            guard let column = model[keyPath: storage].column as? KeyPath<Model, FieldProperty<Model, String>> else { return }
            model[keyPath: column].value = JSONText.encode(newValue)
        }
    }
}
