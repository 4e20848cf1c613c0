import Foundation
import TensorEngine

#if canImport(Glibc)
import Glibc
#endif

/// The process's resident memory as Linux reports it in `/proc/self/status`, and a reset of its high-water mark so
/// that each quickstart stage's own peak can be measured (the stages run one after another in one process).
enum ProcessMemory {
    /// The most memory resident at once since the process started or since the last `resetPeak()` (VmHWM), in
    /// bytes; nil where `/proc` is not available.
    static func peakResidentBytes() -> Double? { statusBytes("VmHWM:") }

    /// The memory resident now (VmRSS), in bytes; nil where `/proc` is not available.
    static func residentBytes() -> Double? { statusBytes("VmRSS:") }

    private static func statusBytes(_ field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "VmHWM:   123456 kB"
            guard fields.count >= 2, let kilobytes = Double(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// Hands free memory back to the system: the engine's cache of freed tensor buffers (up to 2 GB, kept for the
    /// next step's same shapes; the next stage's models have other shapes), then the allocator's free pages.
    /// Without this, resident memory only grows from stage to stage.
    static func releaseFreeMemory() {
        EngineMemory.trimCache()
        // glibc's malloc_trim is not in Swift's Glibc module (malloc.h): found at run time, absent elsewhere.
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    /// Sets the high-water mark back to the current resident size (writing 5 to `clear_refs`, Linux ≥ 4.0). Returns
    /// false when the kernel does not allow it: the peak then stays the process's lifetime peak.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }
}
