import Vapor

/// Random secrets for links and API tokens, and the digests we store instead of them.
enum Secrets {
    /// 32 random bytes, URL-safe base64 without padding (43 characters).
    static func newToken() -> String {
        Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Hex SHA-256: tokens are long and random, so a fast digest is enough (unlike passwords).
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }
}
