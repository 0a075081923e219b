import Dispatch
import Foundation

/// Runs two pieces of work at once, one on the calling thread and one on a long-lived worker thread.
///
/// For loops of thousands of short parallel steps: `DispatchQueue.concurrentPerform` per step often
/// ran both halves on the calling thread (measured: 9.2 ms per MI-Face step instead of 6.5), while a
/// parked thread woken by a semaphore starts within microseconds. Call `stop()` when done.
public final class WorkerPair: @unchecked Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var job: (() -> Void)?
    private var stopping = false
    private var running = false

    /// Starts the worker thread (parked until `run` is called).
    public init() {
        let thread = Thread { [self] in loop() }
        thread.start()
        running = true
    }

    private func loop() {
        while true {
            start.wait()
            if stopping {
                finished.signal()
                return
            }
            job?()
            finished.signal()
        }
    }

    /// Runs `here` on the calling thread and `there` on the worker; returns when both are done.
    public func run(_ here: () -> Void, _ there: () -> Void) {
        precondition(running, "WorkerPair used after stop()")
        withoutActuallyEscaping(there) { escaping in
            job = escaping
            start.signal()
            here()
            finished.wait()
            job = nil
        }
    }

    /// Ends the worker thread.
    public func stop() {
        guard running else { return }
        running = false
        stopping = true
        start.signal()
        finished.wait()
    }
}
