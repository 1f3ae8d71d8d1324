import Fluent
import Foundation

// MARK: The coordinator's list of a programme's pairings: a page of them, and totals over all

extension PairingSpaceService {
    /// One page of a programme's started pairings (active, completed, ended early) with their members, and the
    /// counts of all of them. Names and sides only: what the pairs wrote stays in their space.
    struct PairingsPage: Sendable {
        /// In the order they started; members (accepted, people loaded) with each.
        var pairings: [(pairing: Pairing, members: [PairingMember])]
        /// Every pairing's counts (`summaries(of:)`), for the rows and the programme's totals.
        var summaries: [UUID: PairingSummary]
        /// Started pairings and the people in them, across every page.
        var total: Int
        var people: Int
        var page: Int
        var pageCount: Int
    }

    static let pairingsPerPage = 50

    /// The page `page` (brought into range) of the programme's started pairings, oldest first, paged in the
    /// database; the summaries cover every pairing, in the queries `summaries(of:)` takes.
    func pairingsPage(of programme: Programme, page: Int, per: Int = Self.pairingsPerPage) async throws -> PairingsPage {
        let programmeID = try programme.requireID()
        let started = PairingStatus.started
        func query() -> QueryBuilder<Pairing> {
            Pairing.query(on: database).filter(\.$programme.$id == programmeID).filter(\.$status ~~ started)
        }
        let total = try await query().count()
        let pageCount = max(1, (total + per - 1) / per)
        let page = min(max(page, 1), pageCount)
        let pairings = try await query().sort(\.$activatedAt).sort(\.$createdAt).sort(\.$id)
            .range(((page - 1) * per)..<(page * per)).all()
        let ids = pairings.compactMap(\.id)
        let members = ids.isEmpty ? [] : try await PairingMember.query(on: database).filter(\.$pairing.$id ~~ ids).filter(\.$answer == .accepted)
            .with(\.$person).all()
        let membersOf = Dictionary(grouping: members, by: { $0.$pairing.id })
        let people = try await PairingMember.query(on: database).join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id)
            .filter(Pairing.self, \.$programme.$id == programmeID).filter(Pairing.self, \.$status ~~ started)
            .filter(\.$answer == .accepted).count()
        return PairingsPage(
            pairings: pairings.map { pairing in
                let list = (membersOf[pairing.id ?? UUID()] ?? []).sorted { ($0.side.rawValue, $0.person.name) > ($1.side.rawValue, $1.person.name) }
                return (pairing, list)
            },
            summaries: try await summaries(of: programme), total: total, people: people, page: page, pageCount: pageCount)
    }
}
