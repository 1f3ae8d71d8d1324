import Foundation
import Testing
import VaporTesting
@testable import Upward

@Suite("OpenAPI document")
struct OpenAPITests {
    /// Every registered API route is in the document with its method, and the document has nothing else.
    @Test func document_matches_the_registered_routes() async throws {
        try await withUpward { app in
            var document: [String: Any] = [:]
            try await app.testing().test(.GET, "/openapi.json") { res async throws in
                #expect(res.status == .ok)
                document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any])
            }
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            var registered: Set<String> = []
            for route in app.routes.all {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                if path.hasPrefix("/api/") || path == "/health" || path == "/openapi.json" {
                    registered.insert("\(route.method.rawValue) \(path)")
                }
            }
            #expect(registered.count >= 12)
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered))")
            #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented))")
        }
    }
}
