import Foundation
import Vapor

// The query parameters of the people API (`PeopleAPIController`).

struct PeopleSearchParameters: Decodable {
    var q: String?
    var department: String?
    var level: Int?
    var includeLeavers: Bool?
    var page: Int?
    var per: Int?
}

struct PeopleImportParameters: Decodable {
    var dryRun: Bool?
    var invite: Bool?
    /// Apply a file that marks more than half of the current staff as leavers.
    var confirmLeavers: Bool?
}
