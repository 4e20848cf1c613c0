import Foundation

/// How a `PreferenceStore` is opened.
public struct StoreOptions: Sendable, Hashable {
    /// Seconds to wait for another connection or process that is writing (an import holds the write lock for its whole
    /// transaction) before giving up with a "store is busy" error. Default: 30.
    public var busyTimeout: TimeInterval
    /// Create the file and schema if the file does not exist; if false, a missing file is an error. Default: true.
    public var createIfMissing: Bool
    /// Most concurrent read connections (readers never block the writer nor each other). Default: 5.
    public var maximumReaderCount: Int
    /// Most memory each connection's page cache may use, in MiB (used only as needed). Default: 64.
    public var cacheMegabytes: Int
    /// Sync the log to disk on every commit (`PRAGMA synchronous = FULL`), so a committed write survives a power cut,
    /// not only a crash of the process. Costs an fsync per transaction; worth it where each write is a person's work
    /// (the annotation server). Default: false (WAL with `synchronous = NORMAL`: durable if the process dies).
    public var durableCommits: Bool

    /// Creates options; every argument has the default documented on its property.
    public init(
        busyTimeout: TimeInterval = 30, createIfMissing: Bool = true, maximumReaderCount: Int = 5,
        cacheMegabytes: Int = 64, durableCommits: Bool = false
    ) {
        self.busyTimeout = busyTimeout
        self.createIfMissing = createIfMissing
        self.maximumReaderCount = maximumReaderCount
        self.cacheMegabytes = cacheMegabytes
        self.durableCommits = durableCommits
    }
}
