import Fluent
import Foundation
import Matching

/// A realistic, deterministic demo organisation: 311 people in 11 departments, levels 1–7,
/// a real reporting tree and offices in seven time zones. It goes through the same importer
/// as a real HR export, so the demo exercises the real path.
enum DemoOrganisation {
    static let password = "upward-demo-2026"

    struct Login: Sendable {
        var role: Role
        var name: String
        var email: String
        var note: String
    }

    struct Result: Sendable {
        var loaded: Bool
        var people: Int
        var departments: Int
        var logins: [Login]
    }

    static let departments = [
        "Engineering", "Data & Analytics", "Product", "Design", "Marketing",
        "Sales", "Customer Success", "Finance", "People & Culture", "Legal",
    ]
    static let offices: [(city: String, zone: String)] = [
        ("London", "Europe/London"), ("Berlin", "Europe/Berlin"), ("New York", "America/New_York"),
        ("Toronto", "America/Toronto"), ("Singapore", "Asia/Singapore"), ("Bangalore", "Asia/Kolkata"),
        ("Sydney", "Australia/Sydney"),
    ]
    static let titles: [Int: String] = [
        7: "Chief Executive", 6: "Head of", 5: "Director,", 4: "Manager,", 3: "Senior Specialist,", 2: "Specialist,", 1: "Associate,",
    ]
    static let firstNames = [
        "Amara", "Ben", "Chen", "Dara", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noor",
        "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Xavier", "Yara", "Zoe", "Aiko", "Bilal",
        "Carmen", "Dev", "Esme", "Farah", "Gabe", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo", "Nia",
    ]
    static let lastNames = [
        "Okafor", "Schmidt", "Nguyen", "Patel", "Kowalski", "Haddad", "Silva", "Andersson", "Tanaka", "Murphy", "Rossi",
        "Mensah", "Dubois", "Khan", "Novak", "Garcia", "Lindqvist", "Osei", "Fischer", "Ramos", "Singh", "Moreau", "Kim",
        "Adeyemi", "Byrne", "Costa", "Ibrahim", "Jensen", "Larsen", "Wright",
    ]

    /// "311 people in 11 departments", counted from the generated directory so that help texts cannot drift from it.
    static var summary: String {
        let rows = csv().split(separator: "\n").dropFirst()
        let departments = Set(rows.compactMap { row in
            // The department is the fourth cell; no cell before it holds a comma.
            row.split(separator: ",", omittingEmptySubsequences: false).dropFirst(3).first.map(String.init)
        })
        return "\(rows.count) people in \(departments.count) departments"
    }

    /// The demo directory as the CSV an HR system would export.
    static func csv(seed: UInt64 = 2026) -> String {
        var rng = SeededGenerator(seed: seed)
        var lines = ["employee_id,name,email,department,title,level,manager_id,location,time_zone,hire_date,leave_date,birth_year,diversity_gender"]
        var used: Set<String> = []
        var next = 1
        func person(level: Int, department: String, manager: String?, office: (city: String, zone: String)) -> String {
            let id = String(format: "E%04d", next)
            next += 1
            var first = "", last = "", email = ""
            repeat {
                first = firstNames.randomElement(using: &rng)!
                last = lastNames.randomElement(using: &rng)!
                email = "\(first).\(last)".lowercased() + "@demo.upward.example"
            } while used.contains(email)
            used.insert(email)
            let title = level == 7 ? titles[7]! : level == 6 ? "Head of \(department)" : "\(titles[level]!) \(department)"
            let hireYear = 2025 - Int.random(in: 0...max(1, (level - 1) * 3 + 1), using: &rng)
            let hire = String(format: "%04d-%02d-%02d", hireYear, Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng))
            let birth = 2002 - level * 4 - Int.random(in: 0...8, using: &rng)
            let gender = ["woman", "man", "woman", "man", "non-binary", ""].randomElement(using: &rng)!
            let cells = [id, "\(first) \(last)", email, department, title, String(level), manager ?? "",
                         office.city, office.zone, hire, "", String(birth), gender]
            lines.append(cells.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
            return id
        }
        let ceo = person(level: 7, department: "Executive Office", manager: nil, office: offices[0])
        for (d, department) in departments.enumerated() {
            let home = offices[d % offices.count]
            let head = person(level: 6, department: department, manager: ceo, office: home)
            for _ in 0..<2 {
                let director = person(level: 5, department: department, manager: head, office: home)
                for m in 0..<2 {
                    let office = m == 0 ? home : offices.randomElement(using: &rng)!
                    let manager = person(level: 4, department: department, manager: director, office: office)
                    for _ in 0..<Int.random(in: 5...7, using: &rng) {
                        let level = [1, 1, 2, 2, 2, 3, 3].randomElement(using: &rng)!
                        _ = person(level: level, department: department, manager: manager, office: office)
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Loads the demo directory into an empty database, with one account per role.
    /// On a database that already has people it changes nothing and returns the demo logins.
    static func load(into db: any Database, settings: UpwardSettings, clock: UpwardClock, hash: (String) async throws -> String) async throws -> Result {
        var loaded = false
        if try await Person.query(on: db).count() == 0 {
            let summary = try await DirectoryImporter(database: db, linkBase: settings.publicURL, clock: clock)
                .run(csv: csv(), dryRun: false, invite: false, importedBy: "demo", source: "demo")
            precondition(summary.succeeded, "the demo directory must import cleanly: \(summary.issues)")
            loaded = true
        }
        let people = try await Person.query(on: db).all()
        let byLevel = Dictionary(grouping: people, by: \.level)
        func pick(_ level: Int, _ department: String) -> Person? {
            byLevel[level]?.filter { $0.department == department }.min { $0.externalID < $1.externalID }
        }
        let choices: [(Role, Person?, String)] = [
            (.admin, pick(6, "People & Culture"), "accounts, roles and the outbox"),
            (.coordinator, pick(4, "People & Culture"), "runs programmes and the directory"),
            (.sponsor, byLevel[7]?.first, "sees aggregates only"),
            (.participant, pick(1, "Engineering"), "a junior who can mentor upward"),
            (.participant, pick(5, "Finance"), "a senior leader who can learn"),
            (.participant, pick(2, "Design"), "another junior"),
            (.participant, pick(2, "Data & Analytics"), "a junior in a running pairing"),
            (.participant, pick(5, "Sales"), "a senior in a running pairing"),
        ]
        var logins: [Login] = []
        let passwordHash = try await hash(password)
        for case let (role, person?, note) in choices {
            if let user = try await User.query(on: db).filter(\.$email == person.email).first() {
                logins.append(Login(role: user.role, name: user.name, email: user.email, note: note))
                continue
            }
            guard loaded else { continue }
            try await User(email: person.email, name: person.name, role: role, personID: person.id, passwordHash: passwordHash).create(on: db)
            logins.append(Login(role: role, name: person.name, email: person.email, note: note))
        }
        if loaded {
            // The demo sign-ins stay free to apply, so a newcomer can try the form.
            let accounts = Set(choices.compactMap { $0.1?.id })
            let participants = choices.filter { $0.0 == .participant }.compactMap(\.1)
            let logins = participants.count == 5
                ? DemoProgrammes.Logins(junior: participants[0], senior: participants[1], otherJunior: participants[2],
                                        labJunior: participants[3], labSenior: participants[4]) : nil
            try await DemoProgrammes.load(into: db, people: people, linkBase: settings.publicURL, clock: clock, skipping: accounts, logins: logins)
        }
        return Result(loaded: loaded, people: people.count, departments: Set(people.map(\.department)).count, logins: logins)
    }
}
