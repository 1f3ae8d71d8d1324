import Fluent
import Foundation
import Vapor

/// Supply and demand of a programme: reverse mentors against mentees, by topic, skill, department and level,
/// with a warning wherever one side is short and what would close the gap.
struct Balance: Content, Sendable {
    struct Side: Content, Sendable {
        var role: String
        var label: String
        var applied: Int
        var selected: Int
        var waitlisted: Int
        var places: Int
    }

    /// One line of a comparison: how many on the giving side (mentors, or offered) and the receiving side.
    struct Line: Content, Sendable {
        var name: String
        var mentors: Int
        var mentees: Int
    }

    var mentorsLabel: String
    var menteesLabel: String
    var sides: [Side]
    var mentors: Int
    var mentees: Int
    /// How many mentors the mentees need (one each, or a board each).
    var mentorsNeeded: Int
    var topics: [Line]
    var skills: [Line]
    var departments: [Line]
    var levels: [Line]
    var warnings: [String]
}

extension Balance {
    /// The balance of a programme's active applications (submitted, selected or waitlisted).
    /// `service` gives the database, the day and the eligibility rules (`ApplicationService.balance(of:)` calls this).
    static func of(_ programme: Programme, using service: ApplicationService) async throws -> Balance {
        let (database, today) = (service.database, service.today)
        let id = try programme.requireID()
        let applications = try await ProgrammeApplication.query(on: database).filter(\.$programme.$id == id)
            .filter(\.$status ~~ ApplicationStatus.active).with(\.$person).all()
        let board = programme.format == .advisoryBoard
        let mentorsLabel = board ? "Advisors" : programme.format == .twoWay ? "Partners teaching" : "Reverse mentors"
        let menteesLabel = board ? "Board holders" : programme.format == .twoWay ? "Partners learning" : "Mentees"
        let sides = programme.format.roles.map { role in
            let mine = applications.filter { $0.role == role }
            return Side(role: role.rawValue, label: role.label(in: programme.format), applied: mine.count,
                        selected: mine.filter { $0.status == .selected }.count, waitlisted: mine.filter { $0.status == .waitlisted }.count,
                        places: service.places(for: role, in: programme))
        }
        let givers = applications.filter { $0.role.mentors }
        let takers = applications.filter { $0.role.mentees }
        let perMentee = board ? (programme.boardSize ?? 1) : 1
        let needed = takers.count * perMentee

        func lines(_ key: (ProgrammeApplication) -> [String]) -> [Line] {
            var counts: [String: (Int, Int, String)] = [:]
            for a in givers { for k in Set(key(a).map { $0.lowercased() }) { counts[k, default: (0, 0, k)].0 += 1 } }
            for a in takers { for k in Set(key(a).map { $0.lowercased() }) { counts[k, default: (0, 0, k)].1 += 1 } }
            // Show each name as first written.
            var display: [String: String] = [:]
            for a in applications { for k in key(a) where display[k.lowercased()] == nil { display[k.lowercased()] = k } }
            return counts.map { Line(name: display[$0.key] ?? $0.key, mentors: $0.value.0, mentees: $0.value.1) }
                .sorted { ($0.mentees - $0.mentors, $0.mentees, $1.name) > ($1.mentees - $1.mentors, $1.mentees, $0.name) }
        }
        let topics = lines { $0.topics }
        // Skills: what mentors offer against what mentees seek.
        var skillCounts: [String: (offered: Int, sought: Int)] = [:]
        var skillNames: [String: String] = [:]
        for a in givers { for s in Set(a.skillsOffered.map { $0.name.lowercased() }) { skillCounts[s, default: (0, 0)].offered += 1 } }
        for a in takers { for s in Set(a.skillsSought.map { $0.name.lowercased() }) { skillCounts[s, default: (0, 0)].sought += 1 } }
        for a in applications { for s in a.skillsOffered + a.skillsSought where skillNames[s.name.lowercased()] == nil { skillNames[s.name.lowercased()] = s.name } }
        let skills = skillCounts.map { Line(name: skillNames[$0.key] ?? $0.key, mentors: $0.value.offered, mentees: $0.value.sought) }
            .sorted { ($0.mentees - $0.mentors, $0.mentees, $1.name) > ($1.mentees - $1.mentors, $1.mentees, $0.name) }
        var departments: [String: (Int, Int)] = [:]
        var levels: [Int: (Int, Int)] = [:]
        for a in givers { departments[a.person.department, default: (0, 0)].0 += 1; levels[a.person.level, default: (0, 0)].0 += 1 }
        for a in takers { departments[a.person.department, default: (0, 0)].1 += 1; levels[a.person.level, default: (0, 0)].1 += 1 }

        var warnings: [String] = []
        let (mentorWord, menteeWord) = programme.format.sideNames
        if programme.format != .twoWay {
            if givers.count < needed {
                let gap = needed - givers.count
                let eligible = try await eligibleNotApplied(programme, role: .mentor, applicants: applications.map { $0.$person.id }, on: database, today: today)
                warnings.append("\(mentorWord.capitalizedFirst) are short: \(takers.count) \(menteeWord) need \(needed) \(mentorWord) and \(givers.count) applied. "
                    + "\(gap) more would close the gap; \(eligible) eligible \(eligible == 1 ? "person has" : "people have") not applied yet — invite \(programme.mentorEligibility.summary) from Invitations.")
            } else if takers.count * perMentee < givers.count && takers.count < programme.capacity {
                let gap = min(programme.capacity, (givers.count + perMentee - 1) / perMentee) - takers.count
                let eligible = try await eligibleNotApplied(programme, role: .mentee, applicants: applications.map { $0.$person.id }, on: database, today: today)
                warnings.append("\(menteeWord.capitalizedFirst) are short: \(givers.count) \(mentorWord) applied for \(takers.count) \(menteeWord). "
                    + "\(gap) more \(menteeWord) would close the gap; \(eligible) eligible \(eligible == 1 ? "person has" : "people have") not applied yet — invite \(programme.menteeEligibility.summary) from Invitations.")
            }
        }
        for side in sides where side.applied > side.places {
            warnings.append("\(side.applied) applied as \(side.label.lowercased()) for \(side.places) places: rank and select on the Selection page; the rest go on the waiting list.")
        }
        for line in skills where line.mentees > line.mentors {
            let gap = line.mentees - line.mentors
            warnings.append("\(line.mentees) \(menteeWord) seek \(line.name); \(line.mentors == 0 ? "no" : String(line.mentors)) \(line.mentors == 1 ? mentorWord.singular : mentorWord) offer\(line.mentors == 1 ? "s" : "") it. "
                + "\(gap) more \(gap == 1 ? mentorWord.singular : mentorWord) offering \(line.name) would close the gap.")
            if warnings.count >= 8 { break }
        }
        for line in topics where line.mentees > line.mentors && line.mentees >= 2 {
            warnings.append("\(line.mentees) \(menteeWord) chose the topic \(line.name) but \(line.mentors) \(mentorWord) did.")
            if warnings.count >= 10 { break }
        }
        return Balance(
            mentorsLabel: mentorsLabel, menteesLabel: menteesLabel, sides: sides, mentors: givers.count, mentees: takers.count,
            mentorsNeeded: needed, topics: topics, skills: skills,
            departments: departments.map { Line(name: $0.key, mentors: $0.value.0, mentees: $0.value.1) }.sorted { $0.name < $1.name },
            levels: levels.map { Line(name: "Level \($0.key)", mentors: $0.value.0, mentees: $0.value.1) }.sorted { $0.name < $1.name },
            warnings: warnings)
    }

    /// Current staff who are eligible for `role` and have not applied: who an invitation could still reach.
    static func eligibleNotApplied(_ programme: Programme, role: ApplicationRole, applicants: [UUID], on database: any Database, today: Day) async throws -> Int {
        let rule = role == .mentor ? programme.mentorEligibility : programme.menteeEligibility
        var query = Person.query(on: database).currentStaff(on: today)
        if let low = rule.minLevel { query = query.filter(\.$level >= low) }
        if let high = rule.maxLevel { query = query.filter(\.$level <= high) }
        if let months = rule.minTenureMonths, months > 0 {
            var year = today.year, month = today.month - months
            while month < 1 { month += 12; year -= 1 }
            let cutoff = String(format: "%04d-%02d-%02d", year, month, min(today.day, Day.daysIn(month: month, year: year)))
            query = query.filter(\.$hireDate <= cutoff)
        }
        if !applicants.isEmpty { query = query.filter(\.$id !~ applicants) }
        return try await query.count()
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
    /// "reverse mentors" → "reverse mentor": enough for the role words used here.
    var singular: String { hasSuffix("s") ? String(dropLast()) : self }
}
