import Foundation
import NIOCore
import NIOPosix
import NIOSSL

// A small SMTP client on SwiftNIO and NIOSSL. Hand-written because no SMTP package is among the Swift packages this
// project may use (the mirrored set has none), and the protocol a submission client needs is small: EHLO, STARTTLS,
// AUTH PLAIN or LOGIN, MAIL/RCPT/DATA with dot-stuffing, 8BITMIME and SMTPUTF8 when offered, and a timeout on every
// step. Pipelining is not used.

/// One reply: its code and text lines (a multi-line reply has several).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) { (self.code, self.lines) = (code, lines) }

    public var text: String { lines.joined(separator: " ") }
    public var description: String { "\(code) \(text)" }
}

/// Why a message was not sent, and whether trying again later may succeed.
public enum SMTPError: Error, Sendable, CustomStringConvertible {
    /// Could not connect, or the connection dropped: try again later.
    case connection(String)
    /// A step took longer than the timeout: try again later.
    case timeout(String)
    /// The server refused a command: 4xx is temporary, 5xx permanent.
    case refused(command: String, reply: SMTPReply)
    /// The server said something that is not SMTP.
    case protocolError(String)
    /// The configuration asks for TLS (or AUTH over TLS) the server does not offer: fix the configuration.
    case configuration(String)

    /// The failure is the mail server's or the connection's, not this message's: nothing about the message was
    /// refused (no connection, a timeout, TLS, the greeting, EHLO, AUTH or MAIL FROM). Delivery should pause and try
    /// again later without counting it against the message.
    public var isSessionFailure: Bool {
        switch self {
        case .connection, .timeout, .configuration, .protocolError: true
        case .refused(let command, _): !["RCPT TO", "DATA", "the message", "the address"].contains(command)
        }
    }

    public var isTemporary: Bool {
        switch self {
        case .connection, .timeout: true
        case .refused(_, let reply): (400..<500).contains(reply.code)
        case .protocolError: true
        case .configuration: false
        }
    }

    public var description: String {
        switch self {
        case .connection(let why): "Could not reach the mail server: \(why)"
        case .timeout(let step): "The mail server did not answer in time (\(step))"
        case .refused(let command, let reply): "The mail server refused \(command): \(reply)"
        case .protocolError(let why): "The mail server's answer was not understood: \(why)"
        case .configuration(let why): why
        }
    }
}

/// Where and how to submit mail.
public struct SMTPConfiguration: Sendable, CustomStringConvertible {
    public enum Security: Sendable, Equatable {
        /// Plain SMTP (a local relay).
        case none
        /// STARTTLS after the greeting; `required` refuses to go on without it.
        case startTLS(required: Bool)
        /// TLS from the first byte (port 465).
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The name this client gives in EHLO.
    public var heloName: String
    /// Every step: connecting, each reply, the message's transfer.
    public var timeout: TimeInterval
    /// A PEM file of certificate authorities to trust instead of the system's (a private mail server, tests).
    public var caFile: String?

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
                heloName: String = "localhost", timeout: TimeInterval = 30, caFile: String? = nil) {
        (self.host, self.port, self.security, self.username, self.password) = (host, port, security, username, password)
        // Kept in range whatever a caller passes: a timer of NaN or of years would trap or never fire.
        (self.heloName, self.timeout, self.caFile) = (heloName, timeout.isFinite ? min(max(timeout, 1), 300) : 30, caFile)
    }

    /// The whole conversation for one message never takes longer than this.
    public var sessionDeadline: TimeInterval { min(timeout * 4, 240) }

    /// Checks what can be checked before any mail goes: the TLS settings (a CA file that does not load).
    public func validate() throws {
        if security != .none { _ = try SMTPClient.makeTLSContext(self) }
    }

    /// From `smtp://user:password@host:587` (STARTTLS, required when it carries a password or when `?starttls=required`;
    /// `?starttls=off` for a relay that has none), `smtps://user:password@host:465` (implicit TLS) or
    /// `smtp://localhost:25`. `?timeout=SECONDS` (1–300) sets the timeout. Every problem is named.
    public static func parse(_ text: String) throws -> SMTPConfiguration {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            // The value itself is not repeated: it may hold a password.
            throw SMTPError.configuration("UPWARD_SMTP_URL must look like smtp://user:password@mail.example.org:587 or smtps://user:password@mail.example.org:465.")
        }
        let port = url.port ?? (scheme == "smtps" ? 465 : 587)
        guard (1...65_535).contains(port) else { throw SMTPError.configuration("The port in UPWARD_SMTP_URL must be 1–65535.") }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { _, b in b })
        // Decoded once, from the encoded form: a password with a literal "%41" stays "%41".
        let username = url.percentEncodedUser.map { $0.removingPercentEncoding ?? $0 }
        let password = url.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
        let security: Security
        if scheme == "smtps" {
            security = .implicitTLS
        } else {
            switch query["starttls"]?.lowercased() {
            case "off":
                guard password == nil || ["localhost", "127.0.0.1", "::1"].contains(host.lowercased()) else {
                    throw SMTPError.configuration("UPWARD_SMTP_URL turns STARTTLS off but carries a password for \(host): a password goes over TLS only (off is for a local relay).")
                }
                security = .none
            case "required": security = .startTLS(required: true)
            case nil, "": security = .startTLS(required: password != nil)
            case let other?: throw SMTPError.configuration("starttls in UPWARD_SMTP_URL is required or off; “\(other.prefix(20))” is neither.")
            }
        }
        var timeout: TimeInterval = 30
        if let raw = query["timeout"] {
            guard let seconds = Double(raw), (1...300).contains(seconds) else {
                throw SMTPError.configuration("timeout in UPWARD_SMTP_URL is a number of seconds from 1 to 300.")
            }
            timeout = seconds
        }
        return SMTPConfiguration(host: host, port: port, security: security, username: username, password: password, timeout: timeout)
    }

    /// The address without the password, for logs and pages (also what `"\(config)"` prints).
    public var description: String { redacted }

    public var redacted: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        return "\(scheme)://\(username.map { "\($0)@" } ?? "")\(host):\(port)"
    }
}

/// One message to hand over: the envelope and the whole RFC 5322 text.
public struct SMTPEnvelope: Sendable {
    public var from: String
    public var to: [String]
    public var message: String

    public init(from: String, to: [String], message: String) { (self.from, self.to, self.message) = (from, to, message) }
}

public enum SMTPClient {
    /// Hands one message to the server and returns its final reply to the message (250 …). Throws `SMTPError`.
    public static func send(_ envelope: SMTPEnvelope, using config: SMTPConfiguration,
                            on group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> SMTPReply {
        for address in [envelope.from] + envelope.to where !isMailbox(address) {
            throw SMTPError.refused(command: "the address", reply: SMTPReply(code: 553, lines: ["“\(address.prefix(80))” is not an address mail can go to"]))
        }
        let tls: NIOSSLContext? = config.security == .none ? nil : try makeTLSContext(config)
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let waiting = WaitingReplies()
        let timeout = TimeAmount.milliseconds(Int64(config.timeout * 1000))
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if config.security == .implicitTLS, let tls {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName(config.host)))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyForwarder(continuation, waiting: waiting))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: config.host, port: config.port).get()
        } catch {
            throw SMTPError.connection("\(config.host):\(config.port): \(error)")
        }
        var session = Session(channel: channel, replies: stream.makeAsyncIterator(), continuation: continuation, timeout: timeout,
                              pendingReplies: waiting)
        // One deadline for the whole conversation, writes and the TLS handshake included: a server that stalls
        // anywhere ends it, well before the delivery queue would hand the message to another worker.
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(config.sessionDeadline * 1000))) {
            continuation.finish(throwing: SMTPError.timeout("the whole conversation"))
            channel.close(promise: nil)
        }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        return try await session.deliver(envelope, config: config, tls: tls)
    }

    /// An address the envelope may carry: no line break, angle bracket, space or control character, one "@".
    static func isMailbox(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.utf8.count <= 254
            && !address.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains($0) }
    }

    public static func makeTLSContext(_ config: SMTPConfiguration) throws -> NIOSSLContext {
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        if let caFile = config.caFile {
            tlsConfiguration.trustRoots = .file(caFile)
        }
        do {
            return try NIOSSLContext(configuration: tlsConfiguration)
        } catch {
            throw SMTPError.configuration("TLS for the mail server could not be set up: \(error)")
        }
    }

    /// SNI takes a name, never an IP address (v4 or v6).
    static func serverName(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: 0)) == nil ? host : nil
    }

    /// Normalises line ends to CRLF and doubles a dot at the start of a line (RFC 5321 §4.5.2).
    public static func dotStuffed(_ message: String) -> String {
        let lines = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }
}

/// One conversation with the server.
struct Session {
    let channel: any Channel
    var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator
    let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    let timeout: TimeAmount
    /// Replies received and not read yet.
    let pendingReplies: WaitingReplies

    /// The next reply, within the timeout: on time-out the stream ends with an error and the connection closes.
    mutating func reply(_ step: String) async throws -> SMTPReply {
        let continuation = self.continuation
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            continuation.finish(throwing: SMTPError.timeout(step))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            guard let reply = try await replies.next() else { throw SMTPError.connection("the server closed the connection during \(step)") }
            pendingReplies.withLockedValue { $0 -= 1 }
            return reply
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError.connection("\(error) during \(step)")
        }
    }

    /// Sends a command and expects one of `codes`.
    @discardableResult
    mutating func command(_ line: String, expect codes: ClosedRange<Int>, shown: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n")
        let name = shown ?? String(line.prefix { $0 != " " && $0 != ":" })
        let reply = try await reply(name)
        guard codes.contains(reply.code) else { throw SMTPError.refused(command: name, reply: reply) }
        return reply
    }

    func write(_ text: String) async throws {
        do {
            try await channel.writeAndFlush(ByteBuffer(string: text)).get()
        } catch {
            throw SMTPError.connection("\(error) while sending")
        }
    }

    mutating func deliver(_ envelope: SMTPEnvelope, config: SMTPConfiguration, tls: NIOSSLContext?) async throws -> SMTPReply {
        let greeting = try await reply("the greeting")
        guard greeting.code == 220 else { throw SMTPError.refused(command: "the connection", reply: greeting) }
        var extensions = Self.extensions(try await command("EHLO \(config.heloName)", expect: 250...250))
        if case .startTLS(let required) = config.security {
            if extensions["STARTTLS"] != nil, let tls {
                try await command("STARTTLS", expect: 220...220)
                // Anything that arrived with the 220 was sent before TLS, so it cannot be trusted (a reply injected
                // into the plaintext would be read as the encrypted server's).
                guard pendingReplies.withLockedValue({ $0 }) == 0 else {
                    throw SMTPError.protocolError("the server sent more after agreeing to STARTTLS")
                }
                do {
                    // Made and added on the channel's event loop: a handler never crosses threads.
                    let channel = self.channel
                    let name = SMTPClient.serverName(config.host)
                    try await channel.eventLoop.submit {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: name), position: .first)
                    }.get()
                } catch {
                    throw SMTPError.configuration("TLS with the mail server failed: \(error)")
                }
                extensions = Self.extensions(try await command("EHLO \(config.heloName)", expect: 250...250))
            } else if required {
                throw SMTPError.configuration("The mail server does not offer STARTTLS, and this configuration will not send a password without it.")
            }
        }
        if let username = config.username {
            let methods = Set((extensions["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
            let password = config.password ?? ""
            guard methods.contains("PLAIN") || methods.contains("LOGIN") else {
                throw SMTPError.configuration("The mail server offers no AUTH PLAIN or LOGIN\(methods.isEmpty ? "" : " (it offers \(methods.sorted().joined(separator: ", ")))"), so the user name and password cannot be used.")
            }
            if methods.contains("PLAIN") {
                let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await command("AUTH PLAIN \(token)", expect: 235...235, shown: "AUTH PLAIN")
            } else {
                try await command("AUTH LOGIN", expect: 334...334)
                try await command(Data(username.utf8).base64EncodedString(), expect: 334...334, shown: "AUTH LOGIN (user name)")
                try await command(Data(password.utf8).base64EncodedString(), expect: 235...235, shown: "AUTH LOGIN (password)")
            }
        }
        let needsUTF8 = !(envelope.from + envelope.to.joined()).allSatisfy(\.isASCII)
        var mailFrom = "MAIL FROM:<\(envelope.from)>"
        if extensions["8BITMIME"] != nil { mailFrom += " BODY=8BITMIME" }
        if needsUTF8 {
            guard extensions["SMTPUTF8"] != nil else {
                throw SMTPError.refused(command: "MAIL FROM", reply: SMTPReply(code: 553, lines: ["the server cannot take non-ASCII addresses (no SMTPUTF8)"]))
            }
            mailFrom += " SMTPUTF8"
        }
        try await command(mailFrom, expect: 250...250, shown: "MAIL FROM")
        for recipient in envelope.to { try await command("RCPT TO:<\(recipient)>", expect: 250...251, shown: "RCPT TO") }
        try await command("DATA", expect: 354...354)
        try await write(SMTPClient.dotStuffed(envelope.message) + "\r\n.\r\n")
        let accepted = try await reply("the message")
        guard accepted.code == 250 else { throw SMTPError.refused(command: "the message", reply: accepted) }
        try? await write("QUIT\r\n")
        return accepted
    }

    /// EHLO's extension lines by keyword: "AUTH" → "PLAIN LOGIN".
    static func extensions(_ reply: SMTPReply) -> [String: String] {
        var out: [String: String] = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            out[keyword.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }
}

/// Splits the server's bytes into replies: lines `NNN-text` continue, `NNN text` ends one.
final class SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var pending: [String] = []
    /// A reply longer than this is not SMTP.
    static let maxLine = 4096

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLine { throw SMTPError.protocolError("a line longer than \(Self.maxLine) bytes") }
            return .needMoreData
        }
        let length = end - buffer.readerIndex + 1
        // "\r\n" is one Character in Swift, so the line end is trimmed as a set of scalars, not character by character.
        guard let raw = buffer.readString(length: length) else { return .needMoreData }
        let line = raw.trimmingCharacters(in: .newlines)
        let chars = Array(line)
        guard chars.count >= 3, let code = Int(String(chars[0..<3])), (200...599).contains(code) else {
            throw SMTPError.protocolError("“\(line.prefix(60))”")
        }
        pending.append(chars.count > 4 ? String(chars[4...]) : "")
        if chars.count > 3 && chars[3] == "-" { return .continue }
        let reply = SMTPReply(code: code, lines: pending)
        pending = []
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }
}

/// How many replies arrived and were not read yet (the forwarder counts up on the event loop, the session down).
final class WaitingReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func withLockedValue<T>(_ body: (inout Int) -> T) -> T { lock.withLock { body(&count) } }
}

/// Hands replies to the session; ends the stream when the connection ends.
final class SMTPReplyForwarder: ChannelInboundHandler {
    typealias InboundIn = SMTPReply
    let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    let waiting: WaitingReplies

    init(_ continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation, waiting: WaitingReplies) {
        (self.continuation, self.waiting) = (continuation, waiting)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        waiting.withLockedValue { $0 += 1 }
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish(throwing: SMTPError.connection("the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error as? SMTPError ?? SMTPError.connection("\(error)"))
        context.close(promise: nil)
    }
}
