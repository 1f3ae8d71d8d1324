import Foundation

/// The texts of the messages Upward sends. They go to the outbox until mail delivery exists.
enum Mail {
    static func invitation(to email: String, name: String, link: String, expiresOn: Day) -> OutboxMessage {
        OutboxMessage(recipient: email, subject: "You are invited to Upward", body: """
            Hello \(name),

            Your organisation runs its reverse mentoring programmes on Upward. Set your password to sign in:

            \(link)

            The link works once and expires on \(expiresOn).
            """)
    }

    static func passwordReset(to email: String, name: String, link: String) -> OutboxMessage {
        OutboxMessage(recipient: email, subject: "Reset your Upward password", body: """
            Hello \(name),

            Someone asked to reset the password of your Upward account. If it was you, choose a new password here:

            \(link)

            The link works once and expires in one hour. If it was not you, ignore this message.
            """)
    }
}
