import Foundation

/// What identifies a file across renames and restarts: device, inode, and a fingerprint of its first bytes
/// (so a reused inode is not mistaken for the file it replaced).
struct FileIdentity: Equatable {
    static let fingerprintBytes = 1024

    var device: UInt64
    var inode: UInt64
    var size: Int64
    var links: UInt64

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        links = UInt64(st.st_nlink)
    }

    init?(fd: Int32) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        self.init(st)
    }

    /// Follows symlinks, as opening the path does.
    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        self.init(st)
    }

    /// FNV-1a of the first `length` bytes (nil if the file has fewer).
    static func fingerprint(fd: Int32, length: Int) -> UInt64? {
        guard length > 0 else { return 0xcbf2_9ce4_8422_2325 }
        var buf = [UInt8](repeating: 0, count: length)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, 0) }
        guard n == length else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in buf { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
