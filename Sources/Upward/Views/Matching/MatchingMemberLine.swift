/// Someone in a published pairing with their answer, or someone a run left unmatched with the reason.
struct MatchingMemberLine: Encodable {
    var name: String
    var side: String
    var answer: String
    var reason: String?
}
