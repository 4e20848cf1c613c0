import CollectivesShim
import Foundation

/// OpenMPI's libmpi, opened at run time (as the engine opens OpenBLAS), so that building and running one process needs
/// no MPI installed. `RLHF_MPI_LIBRARY` names the one file to use; otherwise `libmpi.so.40` (OpenMPI 3 to 5), then
/// `libmpi.so`, in the dynamic linker's usual places.
enum MPILibrary {
    /// The file names tried in order.
    static func candidates(_ environment: [String: String]) -> [String] {
        if let custom = environment["RLHF_MPI_LIBRARY"], !custom.isEmpty { return [custom] }
        return [
            "libmpi.so.40", "libmpi.so", "/usr/lib/x86_64-linux-gnu/libmpi.so.40",
            "/usr/lib/aarch64-linux-gnu/libmpi.so.40", "/usr/lib64/openmpi/lib/libmpi.so.40",
        ]
    }

    /// Loads the library and resolves every symbol; returns nil, or the reason it could not.
    static func load(_ environment: [String: String]) -> String? {
        let names = candidates(environment)
        var reason = [CChar](repeating: 0, count: 512)
        let status = names.withCStrings { paths in
            rlhf_mpi_load(paths, Int32(names.count), &reason, Int32(reason.count))
        }
        if status == 0 { return nil }
        return String(decoding: reason.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// MPI's text for an error code.
    static func message(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 512)
        rlhf_mpi_error_string(code, &text, Int32(text.count))
        return String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Array where Element == String {
    /// Calls `body` with a C array of the strings (valid only during the call).
    fileprivate func withCStrings<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
