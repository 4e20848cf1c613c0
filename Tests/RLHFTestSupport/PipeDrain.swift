import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a pipe to its end on a thread of its own, passing each chunk to `receive`.
///
/// Foundation's `FileHandle.availableData` and `readDataToEndOfFile()` end the process with a fatal error when a
/// read is interrupted by a signal (EINTR), which happened under the parallel test runner; this retries instead.
/// Draining each pipe on its own thread also keeps a child that fills one pipe from blocking while the other is read.
public enum PipeDrain {
    /// Starts draining `handle`; `receive` gets every chunk, then `finished` is signalled at end of file.
    public static func start(_ handle: FileHandle, receive: @escaping @Sendable (Data) -> Void) -> DispatchSemaphore {
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let descriptor = handle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                receive(Data(buffer[0..<count]))
            }
            withExtendedLifetime(handle) {}
            finished.signal()
        }
        return finished
    }
}
