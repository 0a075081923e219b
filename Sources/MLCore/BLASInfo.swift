import CBLAS
import Foundation

/// What OpenBLAS chose at start-up, and whether that choice wastes the machine.
public struct BLASInfo: Sendable {
    /// The kernel family OpenBLAS runs (e.g. "Haswell", or "Prescott" when it fell back to generic code).
    public let coreName: String
    /// Threads OpenBLAS uses for one call.
    public let threads: Int
    /// The value of OPENBLAS_CORETYPE in this process's environment, if any.
    public let coreTypeVariable: String?
    /// The core type the CPU flags call for (`SkylakeX` with avx512f, `Haswell` with avx2), if any.
    public let recommendedCoreType: String?

    /// A description of a BLAS set-up (`current()` reads the running one).
    public init(coreName: String, threads: Int, coreTypeVariable: String?, recommendedCoreType: String?) {
        self.coreName = coreName
        self.threads = threads
        self.coreTypeVariable = coreTypeVariable
        self.recommendedCoreType = recommendedCoreType
    }

    /// Reads the running OpenBLAS and the CPU flags in /proc/cpuinfo.
    public static func current() -> BLASInfo {
        let name = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        let flags =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
            .flatMap { $0.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) }
            .map { Set($0.split(separator: " ").map(String.init)) } ?? []
        return BLASInfo(
            coreName: name, threads: Int(openblas_get_num_threads()),
            coreTypeVariable: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"],
            recommendedCoreType: recommendedCoreType(cpuFlags: flags))
    }

    /// The OPENBLAS_CORETYPE that suits a CPU with these flags, or nil when none is needed.
    public static func recommendedCoreType(cpuFlags: Set<String>) -> String? {
        if cpuFlags.contains("avx512f") { return "SkylakeX" }
        if cpuFlags.contains("avx2") { return "Haswell" }
        return nil
    }

    /// True when OpenBLAS fell back to generic kernels on a CPU that has faster ones.
    public var isMisdetected: Bool {
        let generic: Set<String> = ["prescott", "core2", "atom", "nehalem", "unknown", "generic", "katmai", "northwood", "banias"]
        return recommendedCoreType != nil && generic.contains(coreName.lowercased())
    }

    /// A warning for a misdetected core, naming the fix; nil when all is well.
    public var warning: String? {
        guard isMisdetected, let fix = recommendedCoreType else { return nil }
        return "OpenBLAS chose generic '\(coreName)' kernels on a CPU that supports \(fix) (about 4x slower). "
            + "Fix: export OPENBLAS_CORETYPE=\(fix) before running (OpenBLAS reads it at start-up)."
    }

    /// Runs `body` with OpenBLAS on one thread, then restores the thread count. For loops of many small
    /// products, where waking OpenBLAS's threads costs more than they save.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        let saved = openblas_get_num_threads()
        guard saved != 1 else { return try body() }  // nested use (every product of a descent) costs nothing
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(saved) }
        return try body()
    }
}
