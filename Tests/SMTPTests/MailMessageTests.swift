import Foundation
import NIOCore
import NIOEmbedded
import Testing
@testable import SMTP

@Suite("SMTP: messages and settings")
struct MailMessageTests {
    @Test func a_message_is_multipart_alternative_with_encoded_headers() throws {
        let message = MailMessage(
            from: .init(name: "Upward", email: "upward@example.org"), to: .init(name: "Zoë Ångström", email: "zoe@example.org"),
            subject: "Ihre Zuordnung – “Leadership lab” ✓", text: "Hello Zoë,\n\n.A line starting with a dot\nhttps://upward.example.org/x",
            date: Date(timeIntervalSince1970: 1_800_000_000), messageID: "<abc@upward>",
            unsubscribe: URL(string: "https://upward.example.org/unsubscribe/t"),
            calendar: .init(method: "REQUEST", ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
        let text = message.rendered(boundary: "BOUNDARY")
        #expect(text.contains("From: \"Upward\" <upward@example.org>\r\n"))
        #expect(text.contains("To: =?UTF-8?B?"))
        #expect(text.contains("Subject: =?UTF-8?B?") && !text.contains("Leadership lab”"))
        #expect(text.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n") && text.contains("Message-ID: <abc@upward>\r\n"))
        #expect(text.contains("List-Unsubscribe: <https://upward.example.org/unsubscribe/t>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"BOUNDARY\""))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8") && text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(text.contains("Content-Type: text/calendar; charset=utf-8; method=REQUEST") && text.hasSuffix("--BOUNDARY--\r\n"))
        // Every line within 998 octets, CRLF only.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
    }

    @Test func encoded_words_split_between_characters_and_stay_short() {
        let long = String(repeating: "ä€", count: 40)
        let encoded = MailMessage.encodedWord(long)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { word -> String in
            let base64 = String(word.dropFirst(10).dropLast(2))
            return String(data: Data(base64Encoded: base64) ?? Data(), encoding: .utf8) ?? "?"
        }.joined()
        #expect(decoded == long)
        #expect(MailMessage.encodedWord("Plain subject") == "Plain subject")
        // A long plain name is encoded, so its header folds instead of running past the line limit.
        let header = MailMessage.header(.init(name: String(repeating: "Name ", count: 30), email: "a@example.org"))
        #expect(header.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 } && header.hasSuffix(" <a@example.org>"))
    }

    @Test func dots_at_the_start_of_a_line_are_doubled_and_line_ends_are_crlf() {
        #expect(SMTPClient.dotStuffed(".one\n..two\nthree\r\n.") == "..one\r\n...two\r\nthree\r\n..")
    }

    @Test func the_smtp_url_is_read_strictly() throws {
        let submission = try SMTPConfiguration.parse("smtp://me%40example.org:p%40ss@mail.example.org:587")
        #expect(submission.host == "mail.example.org" && submission.port == 587 && submission.username == "me@example.org")
        #expect(submission.password == "p@ss" && submission.security == .startTLS(required: true) && !submission.redacted.contains("p@ss"))
        #expect(try SMTPConfiguration.parse("smtps://u:p@mail.example.org").security == .implicitTLS)
        #expect(try SMTPConfiguration.parse("smtps://u:p@mail.example.org").port == 465)
        let relay = try SMTPConfiguration.parse("smtp://localhost:25")
        #expect(relay.security == .startTLS(required: false) && relay.username == nil)
        #expect(try SMTPConfiguration.parse("smtp://localhost:2525?starttls=off&timeout=5").security == .none)
        #expect(try SMTPConfiguration.parse("smtp://localhost:2525?timeout=5").timeout == 5)
        #expect(try SMTPConfiguration.parse("smtp://u:p%2541@mail.example.org").password == "p%41")   // decoded once
        #expect("\(submission)" == "smtp://me@example.org@mail.example.org:587")   // printing never shows the password
        for bad in ["http://mail.example.org", "smtp://", "smtp://localhost:25?starttls=maybe", "smtp://localhost:25?timeout=0",
                    "smtp://localhost:25?timeout=abc", "mail.example.org", "smtp://u:p@mail.example.org?starttls=off"] {
            #expect(throws: SMTPError.self) { try SMTPConfiguration.parse(bad) }
        }
    }

    @Test func envelope_addresses_and_sni_names_are_checked() {
        #expect(SMTPClient.isMailbox("a.b+c@example.org") && !SMTPClient.isMailbox("a>b@x.org") && !SMTPClient.isMailbox("a@b\r\nRCPT TO:<c@d>"))
        #expect(!SMTPClient.isMailbox("no-at-sign") && !SMTPClient.isMailbox("a@b@c"))
        #expect(SMTPClient.serverName("mail.example.org") == "mail.example.org")
        #expect(SMTPClient.serverName("127.0.0.1") == nil && SMTPClient.serverName("2001:db8::a") == nil)
        #expect(MailMessage.encodedWord("Subject with =?UTF-8?B?x?= inside").hasPrefix("=?UTF-8?B?"))
    }

    @Test func temporary_and_permanent_failures_are_told_apart() {
        #expect(SMTPError.refused(command: "RCPT TO", reply: SMTPReply(code: 451, lines: ["later"])).isTemporary)
        #expect(!SMTPError.refused(command: "RCPT TO", reply: SMTPReply(code: 550, lines: ["no such user"])).isTemporary)
        #expect(SMTPError.timeout("DATA").isTemporary && SMTPError.connection("refused").isTemporary)
        #expect(!SMTPError.configuration("no TLS").isTemporary)
    }
}

@Suite("SMTP: replies")
struct SMTPReplyTests {
    @Test func a_multi_line_reply_keeps_its_extension_keywords_without_line_ends() {
        let reply = SMTPReply(code: 250, lines: ["localhost", "SIZE 33554432", "STARTTLS", "AUTH PLAIN LOGIN"])
        let extensions = Session.extensions(reply)
        #expect(extensions["STARTTLS"] == "" && extensions["AUTH"] == "PLAIN LOGIN" && extensions["SIZE"] == "33554432")
    }

    @Test func the_decoder_joins_continuation_lines_and_splits_at_any_byte() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        let bytes = Array("220 ready\r\n250-localhost\r\n250-STARTTLS\r\n250 HELP\r\n".utf8)
        // Byte by byte: a reply may arrive in any pieces.
        for byte in bytes { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 220, lines: ["ready"]))
        #expect(try channel.readInbound(as: SMTPReply.self) == SMTPReply(code: 250, lines: ["localhost", "STARTTLS", "HELP"]))
        #expect(throws: (any Error).self) { try channel.writeInbound(ByteBuffer(string: "hello\r\n")) }
        _ = try? channel.finish()
    }
}
