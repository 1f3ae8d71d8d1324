import Vapor

// What the account and admin API sends and takes: accounts, API tokens, the outbox.

struct UserDTO: Content {
    var id: UUID
    var email: String
    var name: String
    var role: Role
    var personID: UUID?
    var active: Bool
    var hasPassword: Bool
    var lastSignInAt: Date?

    init(_ user: User) {
        id = user.id ?? UUID()
        email = user.email
        name = user.name
        role = user.role
        personID = user.$person.id
        active = user.isActive
        hasPassword = user.passwordHash != nil
        lastSignInAt = user.lastSignInAt
    }
}

struct APITokenDTO: Content {
    var id: UUID
    var name: String
    var prefix: String
    var createdAt: Date?
    var lastUsedAt: Date?

    init(_ token: APIToken) {
        id = token.id ?? UUID()
        name = token.name
        prefix = token.prefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
    }
}

struct CreatedAPITokenDTO: Content {
    var token: APITokenDTO
    /// The secret, shown this once.
    var secret: String
}

struct CreateAPITokenRequest: Content {
    var name: String
}

struct UpdateUserRequest: Content {
    var role: Role
}

struct OutboxMessageDTO: Content {
    var id: UUID
    var recipient: String
    var subject: String
    var body: String
    var createdAt: Date?
    var status: OutboxStatus
    var attempts: Int
    var nextAttemptAt: Date?
    var lastError: String?
    /// The mail server's reply to the message.
    var reply: String?
    var sentAt: Date?
    var messageId: String
    /// What it is about: a kind of notification, `digest.daily` or `digest.weekly`; absent for older messages.
    var kind: String?

    init(_ message: OutboxMessage, mailIsDelivered: Bool) {
        id = message.id ?? UUID()
        recipient = message.recipient
        subject = message.subject
        body = message.bodyForAdmins(mailIsDelivered: mailIsDelivered)
        createdAt = message.createdAt
        (status, attempts, nextAttemptAt, lastError, reply, sentAt) =
            (message.status, message.attempts, message.nextAttemptAt, message.lastError, message.reply, message.sentAt)
        messageId = message.effectiveMessageID
        kind = message.kind
    }
}

struct JobDTO: Content {
    var id: UUID
    var kind: String
    var status: String
    var attempts: Int
    var maxAttempts: Int
    var runAt: Date
    var lastError: String?
    var createdAt: Date
    var finishedAt: Date?

    init(_ job: Job) {
        id = job.id ?? UUID()
        (kind, status, attempts, maxAttempts, lastError) = (job.kind, job.status.rawValue, job.attempts, job.maxAttempts, job.lastError)
        runAt = Date(timeIntervalSince1970: job.runAt)
        createdAt = Date(timeIntervalSince1970: job.createdAt)
        finishedAt = job.finishedAt.map { Date(timeIntervalSince1970: $0) }
    }
}

struct JobsPageDTO: Content {
    var items: [JobDTO]
    var page: Int
    var per: Int
    var total: Int
    var pageCount: Int
    /// How many jobs stand in each status: queued, running, done, failed.
    var counts: [String: Int]
}
