public enum MatchingVersion { public static let current = "0.1.0" }
