import Foundation
import Testing
import VaporTesting
@testable import Upward

/// `RoutePath`'s type says how many values a link takes (a wrong count does not compile); these tests check
/// that each type agrees with its template and that the route lists hold exactly the routes the app serves.
@Suite("Route paths")
struct RoutePathTests {
    static let listed = WebRoute.all + APIRoute.all

    /// A path as the router shows it: `programmes/:programmeID` (the home page is the empty path).
    static func path(_ components: [PathComponent]) -> String { components.map(\.description).joined(separator: "/") }

    @Test func every_route_takes_as_many_values_as_its_template_has_parameters() {
        for route in Self.listed {
            let parameters = route.template.split(separator: "/").filter { $0.hasPrefix(":") }.count
            #expect(parameters == route.parameterCount, "\(route.template) declares \(route.parameterCount)")
        }
    }

    @Test func no_route_is_listed_twice() {
        let paths = Self.listed.map { Self.path($0.components) }
        #expect(Set(paths).count == paths.count, "\(paths.sorted())")
    }

    @Test func every_served_route_is_listed_and_every_listed_route_is_served() async throws {
        let served = try await withUpward { app in Set(app.routes.all.map { Self.path($0.path) }) }
        let listed = Set(Self.listed.map { Self.path($0.components) })
        // Static files are middleware, not routes, so nothing served is left out here.
        #expect(served.subtracting(listed).isEmpty, "Served but missing from WebRoute.all or APIRoute.all: \(served.subtracting(listed).sorted())")
        #expect(listed.subtracting(served).isEmpty, "Listed but never registered: \(listed.subtracting(served).sorted())")
    }

    @Test func a_link_fills_the_parameters_in_order() {
        let programme = UUID(), run = UUID()
        #expect(WebRoute.home.link() == "/")
        #expect(WebRoute.programmes.link() == "/programmes")
        #expect(WebRoute.programme.link(programme) == "/programmes/\(programme.uuidString)")
        #expect(WebRoute.matchingRun.link(programme, run) == "/programmes/\(programme.uuidString)/matching/runs/\(run.uuidString)")
        #expect(APIRoute.runPublish.link(run) == "/api/v1/runs/\(run.uuidString)/publish")
    }

    @Test(arguments: ["a/b", "a b", "x?y=1", "#top", "50%", "é", "a+b&c"])
    func a_value_stays_one_segment_and_reads_back_the_same(value: String) throws {
        let link = WebRoute.setup.link(value)
        let segment = try #require(link.split(separator: "/", omittingEmptySubsequences: false).last)
        #expect(link.split(separator: "/", omittingEmptySubsequences: false).count == 3, "\(link)")
        #expect(!segment.contains { "/?# &+é".contains($0) }, "\(link)")
        #expect(segment.removingPercentEncoding == value)
        #expect(URL(string: link) != nil)
    }

    @Test func an_encoded_value_reaches_the_route_decoded() async throws {
        try await withUpward { app in
            app.get("echo", ":value") { req in req.parameters.get("value") ?? "" }
            let value = "a/b c?d#e%"
            try await app.testing().test(.GET, RoutePath<OneParameter>("echo/:value").link(value)) { res in
                #expect(res.status == .ok)
                #expect(res.body.string == value)
            }
        }
    }
}
