import Fluent
import SQLKit
import Vapor

/// Accounts: passwords, single-use links, API tokens. Used by both the pages and the API.
struct AccountService {
    let database: any Database
    let settings: UpwardSettings
    let threadPool: NIOThreadPool
    var clock: UpwardClock = .system

    static let minimumPasswordLength = 10
    static let setupLifetime: TimeInterval = 24 * 3600
    static let resetLifetime: TimeInterval = 3600

    init(database: any Database, settings: UpwardSettings, threadPool: NIOThreadPool, clock: UpwardClock = .system) {
        self.database = database
        self.settings = settings
        self.threadPool = threadPool
        self.clock = clock
    }

    init(_ app: Application) {
        self.init(database: app.db, settings: app.upward, threadPool: app.threadPool, clock: app.clock)
    }

    /// A token's name, trimmed, if it is 1 to 100 characters; nil otherwise (the caller says so).
    static func tokenName(_ text: String) -> String? {
        let name = text.trimmingCharacters(in: .whitespaces)
        return (1...100).contains(name.count) ? name : nil
    }

    static let tokenNameRefusal = "Give the token a name of 1 to 100 characters, so you can tell it apart later."

    /// Invitations sent and not used yet.
    func pendingInvitations() async throws -> Int {
        try await OneTimeToken.query(on: database).filter(\.$purpose == .invitation).filter(\.$usedAt == nil).count()
    }

    /// Accounts whose name or email contains every word of `text`, by role then email, at most `limit`, with the total.
    func users(matching text: String = "", limit: Int = 200, byRole: Bool = true) async throws -> (users: [User], total: Int) {
        var query = User.query(on: database)
        for word in DirectoryService.words(text) {
            query = query.group(.or) { $0.filter(\.$email ~~ word).filter(\.$name ~~ word) }
        }
        let total = try await query.count()
        if byRole { query = query.sort(\.$role) }
        return (try await query.sort(\.$email).limit(limit).all(), total)
    }

    /// The account with this id, or a 404 saying so.
    func user(_ id: UUID?) async throws -> User {
        try await User.require(id, on: database, "No account has that id; the list of users shows them all.")
    }

    /// How many accounts there are.
    func count() async throws -> Int { try await User.query(on: database).count() }

    // MARK: Passwords

    /// Why a new password is not acceptable, or nil.
    static func passwordProblem(_ password: String, confirmation: String? = nil) -> String? {
        if password.count < minimumPasswordLength {
            return "Use at least \(minimumPasswordLength) characters."
        }
        if let confirmation, confirmation != password {
            return "The two passwords differ; type the same password twice."
        }
        return nil
    }

    func hash(_ password: String) async throws -> String {
        let cost = settings.bcryptCost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// The active user with this email and password, or nil. Takes as long when the email is unknown.
    func signIn(email: String, password: String) async throws -> User? {
        let user = try await User.query(on: database).filter(\.$email == email.lowercased().trimmingCharacters(in: .whitespaces)).first()
        let hash = user?.passwordHash ?? Self.decoyHash
        let matches = try await threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
        guard let user, user.passwordHash != nil, matches, user.isActive else { return nil }
        user.lastSignInAt = clock.now()
        try await user.save(on: database)
        return user
    }

    /// A hash to verify against when there is no account, so timing does not reveal which emails exist.
    private static let decoyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuVxJ1cgQ0vkOoYZSR3gX4Hh1E8P/3lxa"

    /// Sets a new password and ends every other session of the account.
    func setPassword(_ password: String, for user: User) async throws {
        user.passwordHash = try await hash(password)
        user.authVersion += 1
        try await user.save(on: database)
    }

    // MARK: Single-use links

    /// The first-admin link, when no account exists yet. Each call replaces the previous link.
    func firstAdminLink() async throws -> String? {
        guard try await User.query(on: database).count() == 0 else { return nil }
        try await OneTimeToken.query(on: database).filter(\.$purpose == .setup).delete()
        let token = Secrets.newToken()
        try await OneTimeToken(purpose: .setup, tokenHash: Secrets.digest(token), userID: nil,
                               expiresAt: clock.now().addingTimeInterval(Self.setupLifetime)).create(on: database)
        return settings.publicURL + WebRoute.setup.link(token)
    }

    /// The unused, unexpired token of this purpose, with its user loaded.
    func validToken(_ token: String, purpose: OneTimeToken.Purpose) async throws -> OneTimeToken? {
        guard let record = try await OneTimeToken.query(on: database)
            .filter(\.$tokenHash == Secrets.digest(token))
            .filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil)
            .with(\.$user)
            .first(), record.expiresAt > clock.now()
        else { return nil }
        return record
    }

    /// Marks a token used; false when someone else used it first (two tabs, a double click).
    /// One conditional UPDATE … RETURNING (SQLite ≥ 3.35 and PostgreSQL): of two concurrent
    /// redemptions, exactly one gets the row back.
    func consume(_ token: OneTimeToken, on db: any Database) async throws -> Bool {
        let id = try token.requireID()
        let sql = try db.requireSQL()
        let rows = try await sql.update(OneTimeToken.schema)
            .set("used_at", to: clock.now())
            .where("id", .equal, id)
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return rows.count == 1
    }

    enum SetupError: Error, Equatable {
        case linkInvalid
        case adminExists
        case emailTaken
    }

    /// Creates the first admin with the setup link. Refused once any account exists.
    func createFirstAdmin(token: String, name: String, email: String, password: String) async throws -> User {
        guard let record = try await validToken(token, purpose: .setup) else { throw SetupError.linkInvalid }
        let hash = try await hash(password)
        return try await database.writeTransaction { db in
            guard try await User.query(on: db).count() == 0 else { throw SetupError.adminExists }
            guard try await consume(record, on: db) else { throw SetupError.linkInvalid }
            let person = try await Person.query(on: db).filter(\.$email == email.lowercased()).first()
            let user = User(email: email, name: name, role: .admin, personID: person?.id, passwordHash: hash)
            try await user.create(on: db)
            return user
        }
    }

    /// Sets the password of the link's account and uses the link up. Nil when the link is not valid.
    func redeem(token: String, purpose: OneTimeToken.Purpose, password: String) async throws -> User? {
        guard let record = try await validToken(token, purpose: purpose), let user = record.user, user.isActive else { return nil }
        let hash = try await hash(password)
        return try await database.writeTransaction { db -> User? in
            guard try await consume(record, on: db) else { return nil }
            user.passwordHash = hash
            user.authVersion += 1
            try await user.save(on: db)
            // One reset ends the others.
            try await OneTimeToken.query(on: db).filter(\.$user.$id == user.requireID())
                .filter(\.$purpose == .passwordReset).filter(\.$usedAt == nil)
                .set(\.$usedAt, to: clock.now()).update()
            return user
        }
    }

    /// Puts a reset link in the outbox when the email has an active account; says nothing either way.
    func requestPasswordReset(email: String) async throws {
        guard let user = try await User.query(on: database).filter(\.$email == email.lowercased().trimmingCharacters(in: .whitespaces)).first(),
              user.isActive else { return }
        let token = Secrets.newToken()
        try await OneTimeToken(purpose: .passwordReset, tokenHash: Secrets.digest(token), userID: user.id,
                               expiresAt: clock.now().addingTimeInterval(Self.resetLifetime)).create(on: database)
        try await Notifier(database: database, clock: clock).send(
            Mail.passwordReset(name: user.name, link: settings.publicURL + WebRoute.resetPassword.link(token)), to: Notifier.recipient(user))
    }

    // MARK: API tokens

    /// Creates a token; the plain text is returned once and never stored.
    func createAPIToken(for user: User, name: String) async throws -> (APIToken, String) {
        let plain = "upw_" + Secrets.newToken()
        let token = APIToken(userID: try user.requireID(), name: name, tokenHash: Secrets.digest(plain), prefix: String(plain.prefix(10)))
        try await token.create(on: database)
        return (token, plain)
    }

    func apiTokens(of user: User) async throws -> [APIToken] {
        try await APIToken.query(on: database).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
    }

    /// Revokes one of the user's own tokens; false when they have no such token.
    func revokeAPIToken(_ id: UUID, of user: User) async throws -> Bool {
        guard let token = try await APIToken.query(on: database).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else { return false }
        try await token.delete(on: database)
        return true
    }

    // MARK: Roles

    enum RoleChangeError: Error, Equatable {
        case lastAdmin
    }

    /// Changes a role. The last admin cannot step down (nobody could then manage accounts).
    func setRole(_ role: Role, of user: User) async throws {
        if user.role == .admin && role != .admin {
            let admins = try await User.query(on: database).filter(\.$role == .admin).filter(\.$deactivatedAt == nil).count()
            if admins <= 1 { throw RoleChangeError.lastAdmin }
        }
        user.role = role
        user.authVersion += 1
        try await user.save(on: database)
    }
}
