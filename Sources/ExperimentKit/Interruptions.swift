import Dispatch
import Foundation
import MLCore

/// SIGINT, SIGTERM and SIGHUP end a run cleanly: the partial output and partial downloads are removed,
/// the previous results stay as they were, and the process exits with 128 + the signal number. SIGPIPE
/// (a reader such as `head` closed the pipe) is ignored, so the run still completes its results.
///
/// The signals arrive on a dispatch queue, not in a signal handler, so the clean-up may take locks and
/// remove folders while the main thread is still computing.
public enum Interruptions {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var cleanups: [@Sendable () -> Void] = []
    private static let queue = DispatchQueue(label: "InversionLab.interruptions")

    /// Runs `cleanup` (on a background queue) when the process is told to stop, before it exits.
    public static func onInterrupt(_ cleanup: @escaping @Sendable () -> Void) {
        queue.sync {
            cleanups.append(cleanup)
            guard sources.isEmpty else { return }
            // A closed pipe (`| head`) must not kill a run half-way through writing: its output goes on to the end.
            Foundation.signal(SIGPIPE, SIG_IGN)
            for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
                Foundation.signal(signal, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
                source.setEventHandler { stop(signal, name) }
                source.resume()
                sources.append(source)
            }
        }
    }

    private static func stop(_ signal: Int32, _ name: String) {
        for cleanup in cleanups.reversed() { cleanup() }
        let message = "\nstopped by \(name): the partial results were removed; the previous results are as they were.\n"
        FileHandle.standardError.write(Data(message.utf8))
        _exit(128 + signal)
    }

    /// A test aid: when `INVERSIONLAB_PAUSE_AT` equals `point` (a section as `section-N`, or a file of the
    /// output as its relative path), print `paused at <point>` to standard error and wait there, so a test
    /// can stop the run at exactly that moment. Without the variable this does nothing.
    public static func pauseIfAsked(at point: String) {
        guard let wanted = ProcessInfo.processInfo.environment["INVERSIONLAB_PAUSE_AT"], wanted == point else { return }
        FileHandle.standardError.write(Data("paused at \(point) (INVERSIONLAB_PAUSE_AT)\n".utf8))
        Thread.sleep(forTimeInterval: 600)
    }
}
