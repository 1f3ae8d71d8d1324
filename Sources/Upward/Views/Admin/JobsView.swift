import Foundation

/// The admins' jobs page (`jobs.leaf`): counts by status, and the jobs that failed or are being tried again.
struct JobsView: Encodable {
    struct Item: Encodable {
        var kind: String
        var status: String
        var attempts: String
        var created: String
        var detail: String
        var action: String
        var canRunAgain: Bool
    }

    struct Count: Encodable {
        var label: String
        var count: Int
    }

    var counts: [Count]
    var items: [Item]
    var total: Int
    var page: Int
    var pageCount: Int
    var previous: String?
    var next: String?

    init(counts: [JobStatus: Int], jobs: [Job], total: Int, page: PageRequest) {
        self.counts = [JobStatus.queued, .running, .done, .failed].map { Count(label: $0.rawValue.capitalized, count: counts[$0] ?? 0) }
        items = jobs.map { job in
            let next = Formatting.dateTime(Date(timeIntervalSince1970: job.runAt))
            return Item(kind: job.kind, status: job.status.rawValue.capitalized, attempts: "\(job.attempts) of \(job.maxAttempts)",
                        created: Formatting.dateTime(Date(timeIntervalSince1970: job.createdAt)),
                        detail: (job.lastError ?? "No error recorded") + (job.status == .queued ? " — next attempt \(next)." : ""),
                        action: WebRoute.job.link(job.id ?? UUID()),
                        canRunAgain: job.status == .failed && !JobsOverview.notRerunnable.contains(job.kind))
        }
        self.total = total
        self.page = page.page
        pageCount = page.pageCount(of: total)
        let base = WebRoute.jobs.link()
        previous = page.page > 1 ? base + "?page=\(page.page - 1)" : nil
        next = page.page < pageCount ? base + "?page=\(page.page + 1)" : nil
    }
}
