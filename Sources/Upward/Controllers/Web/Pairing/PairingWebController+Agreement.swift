import Foundation
import Vapor

/// The agreement: reading it, signing the version read, editing it (a new version once anyone signed), and the
/// earlier versions with their signatures.
extension PairingWebController {
    func agreement(req: Request) async throws -> Response {
        try await agreementPage(req, space(req))
    }

    func agreementPage(
        _ req: Request, _ space: PairingSpaceService.Space, typed: AgreementTerms? = nil, issues: [FieldIssue] = [],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let state = try await req.pairingSpace.agreement(space)
        let current = state.current
        let zone = space.myZone
        let found = FormIssues(issues)
        let mine = state.signature(of: space.myPersonID)
        let view = PairingAgreementView(
            crumbs: PairingCrumbs(space), version: current.version, nextVersion: current.version + 1,
            writtenBy: written(current, in: space),
            terms: PairingAgreementView.terms(current.terms), signatures: PairingAgreementView.signatures(current, in: space),
            unsigned: state.unsigned.map { space.name(of: $0) }, signed: state.isSigned,
            canSign: space.isWritable && mine == nil, signAction: WebRoute.agreementSign.link(space.pairingID),
            writable: space.isWritable, editAction: WebRoute.agreement.link(space.pairingID),
            edit: PairingAgreementView.terms(typed ?? current.terms, issues: found), editMakesNewVersion: !current.signatures.isEmpty,
            editOpen: !issues.isEmpty, errorList: found.list,
            earlier: state.versions.dropFirst().map { version in
                PairingAgreementView.Version(
                    number: version.version, writtenBy: written(version, in: space), written: ZonedTime.day(version.createdAt, in: zone),
                    terms: PairingAgreementView.terms(version.terms), signatures: PairingAgreementView.signatures(version, in: space))
            })
        return try await req.page("pairing-agreement", title: "Agreement — \(space.programme.name)", view, status: status)
    }

    /// "Drawn from the programme's ground rules" for the first version, else who wrote it.
    func written(_ agreement: Agreement, in space: PairingSpaceService.Space) -> String {
        guard let author = agreement.writtenBy else { return "Drawn from the programme's ground rules" }
        return "Written by \(space.name(of: author) == "You" ? "you" : space.name(of: author))"
    }

    func editAgreement(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        let back = WebRoute.agreement.link(space.pairingID)
        let terms = AgreementTerms(
            confidentiality: form["confidentiality"] ?? "", psychologicalSafety: form["psychologicalSafety"] ?? "",
            cadence: form["cadence"] ?? "", channel: form["channel"] ?? "", place: form["place"] ?? "", duration: form["duration"] ?? "",
            midpointReview: form["midpointReview"] ?? "", offLimits: form["offLimits"] ?? "")
        let service = req.pairingSpace
        guard let basedOn = Int(form["version"] ?? ""), basedOn >= 1 else {
            return try await agreementPage(req, space, typed: terms, issues: [
                FieldIssue(field: "version", message: "The form did not say which version you changed. Your text is below: save it again."),
            ], status: .unprocessableEntity)
        }
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            do {
                let saved = try await service.editAgreement(space, terms: terms, basedOn: basedOn)
                let message = saved.version > basedOn ? "Saved as version \(saved.version). Everyone signs it again, you too." : "Nothing changed."
                return req.redirect(to: back, flash: message)
            } catch let invalid as InvalidInput {
                return try await agreementPage(req, space, typed: terms, issues: invalid.issues, status: .unprocessableEntity)
            }
        }
    }

    func sign(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        let back = WebRoute.agreement.link(space.pairingID)
        guard let version = form["version"].flatMap({ Int($0.trimmed) }) else {
            return req.redirect(
                to: back, flash: "Not signed: the form did not say which version you read. Read the agreement again, then sign.")
        }
        let service = req.pairingSpace
        return try await req.redirecting(to: back, onRefusal: "Not signed") {
            try await service.sign(space, version: version)
            let everyone = try await service.agreement(space).isSigned
            return req.redirect(
                to: back,
                flash: everyone
                    ? "You signed version \(version). Everyone has signed: it is your agreement now."
                    : "You signed version \(version). It applies once everyone has signed it.")
        }
    }
}
