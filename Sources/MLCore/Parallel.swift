import Dispatch
import Foundation

/// Runs many independent jobs on the cores, one job per core at a time, with OpenBLAS on one thread
/// meanwhile (two OpenBLAS thread pools inside a parallel loop fight over the same cores).
public enum Parallel {
    /// The cores this process may use.
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Calls `job(i)` for every i in 0..<count on up to `threads` threads, each taking the next job when it
    /// finishes one (jobs may differ in size). `finished(done)` is called, one call at a time, after each job.
    /// The first error thrown stops the remaining jobs from starting and is rethrown.
    public static func run(
        _ count: Int, threads: Int = Parallel.cores, finished: (Int) -> Void = { _ in }, _ job: (Int) throws -> Void
    ) throws {
        guard count > 0 else { return }
        let workers = max(1, min(threads, count))
        let lock = NSLock()
        var next = 0
        var done = 0
        var failure: Error?
        func work() {
            while true {
                lock.lock()
                guard failure == nil, next < count else {
                    lock.unlock()
                    return
                }
                let i = next
                next += 1
                lock.unlock()
                do {
                    try job(i)
                    lock.lock()
                    done += 1
                    finished(done)
                    lock.unlock()
                } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                }
            }
        }
        withoutActuallyEscaping(work) { work in
            nonisolated(unsafe) let body = work
            BLASInfo.singleThreaded {
                if workers == 1 {
                    body()
                } else {
                    DispatchQueue.concurrentPerform(iterations: workers) { _ in body() }
                }
            }
        }
        if let failure { throw failure }
    }
}
