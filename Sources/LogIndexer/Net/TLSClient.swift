import Foundation

/// TLS for ``PlainHTTP``'s https:// requests, over the system's OpenSSL (libssl.so.3) loaded with dlopen the first
/// time one is made. Linking it (or Foundation's URLSession, which brings libcurl and some thirty libraries) would
/// cost every `logsift` start ~6 ms of loading and relocation for a feature only the agent's https:// URLs use.
/// Certificates are verified against the system's trust store (OpenSSL's default paths, which honour
/// `SSL_CERT_FILE` and `SSL_CERT_DIR`), and the peer must be the host named in the URL.
final class TLSClient {
    private let lib: OpenSSL
    private let ctx: OpaquePointer
    private let ssl: OpaquePointer

    /// Shakes hands over the connected socket `fd` (blocking, with its socket timeouts) with `host`. `trust`: a PEM
    /// file of the certificates to trust instead of the system's.
    init(fd: Int32, host: String, trust: String? = nil) throws {
        let lib = try OpenSSL.shared.get()
        guard let ctx = lib.SSL_CTX_new(lib.TLS_client_method()) else { throw PlainHTTP.Failure(description: "TLS: " + lib.lastError()) }
        // The context is set up before the connection's SSL object is made: it copies the verify mode and options.
        var ssl: OpaquePointer?
        do {
            // A server that closes without close_notify after its answer is not an error (the answer's length says).
            _ = lib.SSL_CTX_set_options(ctx, OpenSSL.optionIgnoreUnexpectedEOF)
            lib.SSL_CTX_set_verify(ctx, OpenSSL.verifyPeer, nil)
            if let trust {
                guard lib.SSL_CTX_load_verify_locations(ctx, trust, nil) == 1 else {
                    throw PlainHTTP.Failure(description: "TLS: cannot read the certificates in \(trust): " + lib.lastError())
                }
            } else {
                _ = lib.SSL_CTX_set_default_verify_paths(ctx)
            }
            guard let s = lib.SSL_new(ctx) else { throw PlainHTTP.Failure(description: "TLS: " + lib.lastError()) }
            ssl = s
            var v4 = in_addr(), v6 = in6_addr()
            if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 {
                guard lib.X509_VERIFY_PARAM_set1_ip_asc(lib.SSL_get0_param(s), host) == 1 else { throw PlainHTTP.Failure(description: "TLS: bad address \(host)") }
            } else {
                guard lib.SSL_set1_host(s, host) == 1 else { throw PlainHTTP.Failure(description: "TLS: bad host name \(host)") }
                // Server name indication (SSL_set_tlsext_host_name is a macro over SSL_ctrl).
                _ = host.withCString { lib.SSL_ctrl(s, OpenSSL.ctrlSetTLSExtHostName, OpenSSL.nameTypeHostName, UnsafeMutableRawPointer(mutating: $0)) }
            }
            _ = lib.SSL_set_fd(s, fd)
            if lib.SSL_connect(s) != 1 {
                let verify = lib.SSL_get_verify_result(s)
                throw PlainHTTP.Failure(description: "TLS: " + (verify != 0 ? "certificate of \(host) not accepted: " + String(cString: lib.X509_verify_cert_error_string(verify))
                                                                 : lib.lastError(orErrno: "handshake failed")))
            }
        } catch {
            if let ssl { lib.SSL_free(ssl) }
            lib.SSL_CTX_free(ctx)
            throw error
        }
        self.lib = lib
        self.ctx = ctx
        self.ssl = ssl!
    }

    deinit {
        _ = lib.SSL_shutdown(ssl)
        lib.SSL_free(ssl)
        lib.SSL_CTX_free(ctx)
    }

    /// Bytes already decrypted and waiting (poll on the socket does not see them).
    var pending: Bool { lib.SSL_pending(ssl) > 0 }

    func send(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { lib.SSL_write(ssl, $0.baseAddress, Int32(min($0.count, Int(Int32.max)))) }
            guard n > 0 else { throw PlainHTTP.Failure(description: "TLS send failed: " + lib.lastError(orErrno: "connection closed")) }
            off += Int(n)
        }
    }

    /// Up to `count` bytes; 0 at the end of the stream; throws on a timeout or an error.
    func read(_ buffer: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
        errno = 0
        let n = lib.SSL_read(ssl, buffer, Int32(min(count, Int(Int32.max))))
        if n > 0 { return Int(n) }
        switch lib.SSL_get_error(ssl, n) {
        case OpenSSL.errorZeroReturn: return 0
        case OpenSSL.errorSyscall where errno == 0: return 0
        case OpenSSL.errorWantRead, OpenSSL.errorWantWrite:
            throw PlainHTTP.Failure(description: "timed out")
        case OpenSSL.errorSyscall where errno == EAGAIN || errno == EWOULDBLOCK:
            throw PlainHTTP.Failure(description: "timed out")
        default:
            throw PlainHTTP.Failure(description: "TLS read failed: " + lib.lastError(orErrno: "connection reset"))
        }
    }
}

/// The few libssl functions ``TLSClient`` calls, looked up once.
// @unchecked Sendable: immutable after init; the functions are thread-safe for distinct SSL objects.
struct OpenSSL: @unchecked Sendable {
    static let verifyPeer: Int32 = 1
    static let ctrlSetTLSExtHostName: Int32 = 55
    static let nameTypeHostName = 0
    static let optionIgnoreUnexpectedEOF: UInt64 = 1 << 7
    static let errorSSL: Int32 = 1, errorWantRead: Int32 = 2, errorWantWrite: Int32 = 3, errorSyscall: Int32 = 5, errorZeroReturn: Int32 = 6

    /// Loaded on first use; the failure (no libssl.so.3) is kept and said on every https:// request.
    static let shared: Result<OpenSSL, PlainHTTP.Failure> = Result { try OpenSSL() }.mapError { $0 as? PlainHTTP.Failure ?? PlainHTTP.Failure(description: "\($0)") }

    let TLS_client_method: @convention(c) () -> OpaquePointer?
    let SSL_CTX_new: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let SSL_CTX_free: @convention(c) (OpaquePointer) -> Void
    let SSL_CTX_set_options: @convention(c) (OpaquePointer, UInt64) -> UInt64
    let SSL_CTX_set_default_verify_paths: @convention(c) (OpaquePointer) -> Int32
    let SSL_CTX_load_verify_locations: @convention(c) (OpaquePointer, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let SSL_CTX_set_verify: @convention(c) (OpaquePointer, Int32, OpaquePointer?) -> Void
    let SSL_new: @convention(c) (OpaquePointer) -> OpaquePointer?
    let SSL_free: @convention(c) (OpaquePointer) -> Void
    let SSL_set_fd: @convention(c) (OpaquePointer, Int32) -> Int32
    let SSL_set1_host: @convention(c) (OpaquePointer, UnsafePointer<CChar>) -> Int32
    let SSL_get0_param: @convention(c) (OpaquePointer) -> OpaquePointer?
    let X509_VERIFY_PARAM_set1_ip_asc: @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> Int32
    let SSL_ctrl: @convention(c) (OpaquePointer, Int32, Int, UnsafeMutableRawPointer?) -> Int
    let SSL_connect: @convention(c) (OpaquePointer) -> Int32
    let SSL_get_verify_result: @convention(c) (OpaquePointer) -> Int
    let X509_verify_cert_error_string: @convention(c) (Int) -> UnsafePointer<CChar>
    let SSL_write: @convention(c) (OpaquePointer, UnsafeRawPointer?, Int32) -> Int32
    let SSL_read: @convention(c) (OpaquePointer, UnsafeMutableRawPointer?, Int32) -> Int32
    let SSL_pending: @convention(c) (OpaquePointer) -> Int32
    let SSL_get_error: @convention(c) (OpaquePointer, Int32) -> Int32
    let SSL_shutdown: @convention(c) (OpaquePointer) -> Int32
    let ERR_get_error: @convention(c) () -> UInt
    let ERR_error_string_n: @convention(c) (UInt, UnsafeMutablePointer<CChar>, Int) -> Void

    private init() throws {
        guard let h = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL) else {
            throw PlainHTTP.Failure(description: "https:// needs OpenSSL 3 (libssl.so.3), which cannot be loaded: " + String(cString: dlerror()))
        }
        func fn<T>(_ name: String) throws -> T {
            guard let p = dlsym(h, name) else { throw PlainHTTP.Failure(description: "libssl.so.3 has no \(name)") }
            return unsafeBitCast(p, to: T.self)
        }
        TLS_client_method = try fn("TLS_client_method")
        SSL_CTX_new = try fn("SSL_CTX_new")
        SSL_CTX_free = try fn("SSL_CTX_free")
        SSL_CTX_set_options = try fn("SSL_CTX_set_options")
        SSL_CTX_set_default_verify_paths = try fn("SSL_CTX_set_default_verify_paths")
        SSL_CTX_load_verify_locations = try fn("SSL_CTX_load_verify_locations")
        SSL_CTX_set_verify = try fn("SSL_CTX_set_verify")
        SSL_new = try fn("SSL_new")
        SSL_free = try fn("SSL_free")
        SSL_set_fd = try fn("SSL_set_fd")
        SSL_set1_host = try fn("SSL_set1_host")
        SSL_get0_param = try fn("SSL_get0_param")
        X509_VERIFY_PARAM_set1_ip_asc = try fn("X509_VERIFY_PARAM_set1_ip_asc")
        SSL_ctrl = try fn("SSL_ctrl")
        SSL_connect = try fn("SSL_connect")
        SSL_get_verify_result = try fn("SSL_get_verify_result")
        X509_verify_cert_error_string = try fn("X509_verify_cert_error_string")
        SSL_write = try fn("SSL_write")
        SSL_read = try fn("SSL_read")
        SSL_pending = try fn("SSL_pending")
        SSL_get_error = try fn("SSL_get_error")
        SSL_shutdown = try fn("SSL_shutdown")
        ERR_get_error = try fn("ERR_get_error")
        ERR_error_string_n = try fn("ERR_error_string_n")
    }

    /// The oldest queued OpenSSL error as text (and the queue emptied), else `orErrno` with errno's text.
    func lastError(orErrno fallback: String = "unknown error") -> String {
        let code = ERR_get_error()
        while ERR_get_error() != 0 {}
        if code == 0 { return errno != 0 ? fallback + ": " + String(cString: strerror(errno)) : fallback }
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
