import Foundation

/// A message as RFC 5322 and MIME write it: `multipart/alternative` with plain text and a simple HTML version
/// (and, for a meeting, a `text/calendar` part), UTF-8 names and subjects encoded per RFC 2047, `Date`, a stable
/// `Message-ID`, and `List-Unsubscribe` with one-click (RFC 8058) for anything not essential.
public struct MailMessage: Sendable {
    public struct Address: Sendable, Equatable {
        public var name: String?
        public var email: String
        public init(name: String? = nil, email: String) { (self.name, self.email) = (name, email) }
    }

    public struct Calendar: Sendable {
        /// `REQUEST` for an invitation or an update, `CANCEL` for a cancellation.
        public var method: String
        public var ics: String
        public init(method: String, ics: String) { (self.method, self.ics) = (method, ics) }
    }

    public var from: Address
    public var to: Address
    public var subject: String
    public var text: String
    public var date: Date
    /// `<uuid@host>`: the same on every attempt, so a server that saw it once can drop a repeat.
    public var messageID: String
    public var unsubscribe: URL?
    public var calendar: Calendar?

    public init(from: Address, to: Address, subject: String, text: String, date: Date, messageID: String,
                unsubscribe: URL? = nil, calendar: Calendar? = nil) {
        (self.from, self.to, self.subject, self.text, self.date, self.messageID) = (from, to, subject, text, date, messageID)
        (self.unsubscribe, self.calendar) = (unsubscribe, calendar)
    }

    /// The whole message with CRLF line ends. `boundary` is fixed by the caller in tests; random otherwise.
    public func rendered(boundary: String = "=_upward_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")) -> String {
        var headers = [
            "From: \(Self.header(from))",
            "To: \(Self.header(to))",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
        ]
        if let unsubscribe {
            headers.append("List-Unsubscribe: <\(unsubscribe.absoluteString)>")
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        var parts = [
            Self.part("text/plain; charset=utf-8", text),
            Self.part("text/html; charset=utf-8", Self.html(text, title: subject)),
        ]
        if let calendar {
            parts.append(Self.part("text/calendar; charset=utf-8; method=\(calendar.method)", calendar.ics))
        }
        let body = parts.map { "--\(boundary)\r\n\($0)" }.joined(separator: "\r\n") + "\r\n--\(boundary)--\r\n"
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + "This is a MIME message.\r\n\r\n" + body
    }

    /// One part, base64 in lines of 76: safe for any text through any server.
    static func part(_ contentType: String, _ content: String) -> String {
        // Text is CRLF before it is encoded (RFC 2045 §6.8).
        let crlf = content.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(crlf.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return "Content-Type: \(contentType)\r\nContent-Transfer-Encoding: base64\r\n\r\n\(encoded)"
    }

    /// `Name <address>`, the name quoted when short plain ASCII and encoded when not.
    static func header(_ address: Address) -> String {
        guard let name = address.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return "<\(address.email)>" }
        // A long name is encoded too: encoded words fold, so the header line stays short.
        if name.count <= 60, name.allSatisfy({ $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline }) { return "\"\(name)\" <\(address.email)>" }
        return "\(encodedWord(name)) <\(address.email)>"
    }

    /// RFC 2047: ASCII text as it is; anything else as `=?UTF-8?B?…?=` words of at most 75 characters, split between
    /// characters (never inside one), folded onto continuation lines.
    public static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        // Plain printable ASCII that fits a header line goes as it is; anything else (other scripts, control
        // characters, something that looks like an encoded word, a long line) is encoded and folded.
        let plain = clean.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) } && !clean.contains("=?") && clean.count <= 70
        if plain { return clean }
        var words: [String] = []
        var chunk = ""
        for character in clean {
            let candidate = chunk + String(character)
            // 45 bytes of UTF-8 become 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays under 75.
            if candidate.utf8.count > 45 {
                words.append(chunk)
                chunk = String(character)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// A simple HTML version of the plain text: escaped, paragraphs kept, links made clickable.
    static func html(_ text: String, title: String) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").map { paragraph -> String in
            let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"), !trimmed.contains(" ") {
                    return "<a href=\"\(escape(trimmed))\">\(escape(trimmed))</a>"
                }
                return escape(String(line))
            }
            return "<p>" + lines.joined(separator: "<br>\n") + "</p>"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title></head>
            <body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a2e; max-width: 40rem;">
            \(paragraphs.joined(separator: "\n"))
            </body></html>
            """
    }
}
