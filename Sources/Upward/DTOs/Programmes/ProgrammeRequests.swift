import Foundation
import Vapor

// What the programmes API takes and answers besides programmes and applications (`ProgrammesAPIController`).

struct ProgrammeActionBody: Content {
    var action: ProgrammeAction
    var lessons: String?
    var stories: [Story]?
}

struct InviteBody: Content {
    var department: String?
    var minLevel: Int?
    var maxLevel: Int?
}

struct InviteResult: Content { var invited: Int }

struct RankingQuery: Decodable {
    var role: ApplicationRole?
    var criteria: String?
}

struct RankingResult: Content { var selected: Int; var waitlisted: Int }

struct ApplicationDetailDTO: Content {
    var application: ApplicationDTO
    var decisions: [DecisionDTO]
}

struct DecisionBody: Content {
    var status: ApplicationStatus?
    var note: String?
    var motivationReview: Int?
}

struct ApplicationSaveQuery: Decodable { var submit: Bool? }
