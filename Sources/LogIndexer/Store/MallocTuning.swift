/// glibc's malloc gives every block of 128 KiB or more (a threshold that rises only as such blocks are freed) its
/// own `mmap`, and unmaps it on free. A search allocates a segment's decompressed columns, its texts and its
/// compiled templates, a few such blocks per segment, so every segment it decoded faulted in and zeroed fresh pages:
/// 29% of an id lookup's time in a long-running process. Served from the heap instead, freed blocks are reused.
public enum MallocTuning {
    /// Blocks up to 16 MiB come from the heap; up to 32 MiB of free heap top stays mapped. Peak RSS is unchanged
    /// when the freed blocks are reused, which is what a process that decodes segment after segment does.
    public static func keepLargeBlocks() {
        #if os(Linux)
        // <malloc.h>'s M_TRIM_THRESHOLD and M_MMAP_THRESHOLD (the Glibc module does not import that header).
        _ = mallopt(-1, 32 << 20)
        _ = mallopt(-3, 16 << 20)
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
