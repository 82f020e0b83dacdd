import Foundation
import Hummingbird
import LogIndexer

/// JSON answers and errors of the HTTP API.
enum APIReply {
    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    /// `{"error":{"status":N,"message":"...", extra...}}`.
    static func error(_ status: HTTPResponse.Status, _ message: String, extra: [(String, String)] = [], headers: HTTPFields = [:]) -> Response {
        var s = "{\"error\":{\"status\":\(status.code),\"message\":" + JSONText.quote(message)
        for (k, v) in extra { s += ",\"\(k)\":" + v }
        return json(s + "}}", status: status, headers: headers)
    }
}

/// A client error with its HTTP answer, thrown by parameter and body parsing.
struct APIFailure: Error {
    var response: Response
    var message: String
    init(_ status: HTTPResponse.Status, _ message: String, extra: [(String, String)] = [], headers: HTTPFields = [:]) {
        self.message = message
        response = APIReply.error(status, message, extra: extra, headers: headers)
    }
}
