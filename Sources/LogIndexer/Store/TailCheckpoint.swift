/// Where `logsift tail` stands in one file, committed in the same transaction as the events read from it.
///
/// A file is known by device + inode and a fingerprint of its first bytes, never by path alone.
public struct TailCheckpoint: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    /// FNV-1a of the first `fingerprintLength` bytes (up to 1 KiB).
    public var fingerprint: UInt64
    public var fingerprintLength: Int
    /// The path it was last seen under.
    public var path: String
    /// The path whose name gave its labels (the kubelet symlink, say).
    public var labelPath: String
    public var position: SourcePosition
    /// Resume inside an over-long line whose head is stored.
    public var skipping: Bool
    /// Read to its end and let go (deleted or rotated away).
    public var done: Bool

    public init(device: UInt64, inode: UInt64, fingerprint: UInt64, fingerprintLength: Int, path: String, labelPath: String,
                position: SourcePosition, skipping: Bool = false, done: Bool = false) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
        self.fingerprintLength = fingerprintLength
        self.path = path
        self.labelPath = labelPath
        self.position = position
        self.skipping = skipping
        self.done = done
    }

    /// The row key: identity of the file.
    public var key: String { "\(device):\(inode):\(fingerprintLength):\(fingerprint)" }
}
