/// The privacy rules that more than one stage applies (DESIGN.md, "Measuring").
enum Privacy {
    /// A group smaller than this is never shown on its own: its people could be recognised.
    static let smallestGroup = 5

    /// The groups big enough to show, and how many were held back.
    static func shown<Group>(_ groups: [Group], size: (Group) -> Int) -> (shown: [Group], hidden: Int) {
        let shown = groups.filter { size($0) >= smallestGroup }
        return (shown, groups.count - shown.count)
    }
}
