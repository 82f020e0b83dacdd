import Foundation
import LogCore
import LogIndexer

/// Elasticsearch's `_bulk` API as far as log shippers use it: `index`/`create` actions, each followed by
/// its document, become events (the document line is the event, decoded as JSON); `delete`/`update` and
/// malformed lines get a per-item error, as Elasticsearch would answer.
struct ElasticBulk {
    struct Item {
        var action: String
        var index: String
        var id: String
        /// nil: accepted; else (status, type, reason).
        var error: (status: Int, type: String, reason: String)?
    }

    var items: [Item] = []
    /// Accepted documents by index.
    var documents: [String: [[UInt8]]] = [:]

    /// Why Elasticsearch would refuse `name` as an index name (nil: it would not). The name becomes the
    /// events' `source`, so a path (`../../etc/passwd`), wildcards or control characters never get in.
    static func invalidIndexName(_ name: String) -> String? {
        if name == "." || name == ".." { return "must not be '.' or '..'" }
        if let c = name.first, "_-+".contains(c) { return "must not start with '_', '-', or '+'" }
        if name.utf8.count > 255 { return "index name is too long, (\(name.utf8.count) > 255)" }
        if name.unicodeScalars.contains(where: { " \"*\\<|,>/?#:".unicodeScalars.contains($0) || $0.properties.generalCategory == .control }) {
            return "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?, #, :] or control characters"
        }
        return nil
    }

    /// Parses NDJSON action/document pairs; `defaultIndex` is the `{index}` of the path.
    init(lines: [[UInt8]], defaultIndex: String?) {
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], object.count == 1,
                  let (action, metaAny) = object.first, let meta = metaAny as? [String: Any] else {
                items.append(Item(action: "index", index: defaultIndex ?? "", id: "",
                                  error: (400, "illegal_argument_exception", "Malformed action/metadata line [\(i)], expected an object with one action")))
                continue
            }
            let index = (meta["_index"] as? String) ?? defaultIndex ?? ""
            let id = (meta["_id"] as? String) ?? Self.newID()
            switch action {
            case "index", "create":
                guard i < lines.count else {
                    items.append(Item(action: action, index: index, id: id, error: (400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]")))
                    continue
                }
                let doc = lines[i]
                i += 1
                if let reason = Self.invalidID(id) {
                    items.append(Item(action: action, index: index, id: String(id.prefix(512)), error: (400, "action_request_validation_exception", reason)))
                } else if index.isEmpty {
                    items.append(Item(action: action, index: index, id: id, error: (400, "action_request_validation_exception", "index is missing")))
                } else if let reason = Self.invalidIndexName(index) {
                    items.append(Item(action: action, index: index, id: id, error: (400, "invalid_index_name_exception", "Invalid index name [\(index)], \(reason)")))
                } else if (try? JSONSerialization.jsonObject(with: Data(doc))) as? [String: Any] == nil {
                    items.append(Item(action: action, index: index, id: id, error: (400, "document_parsing_exception", "failed to parse: the document is not a JSON object")))
                } else {
                    items.append(Item(action: action, index: index, id: id))
                    documents[index, default: []].append(doc)
                }
            case "update":
                i += 1
                items.append(Item(action: action, index: index, id: id, error: (400, "illegal_argument_exception", "logsift stores logs append-only: update is not supported")))
            case "delete":
                items.append(Item(action: action, index: index, id: id, error: (400, "illegal_argument_exception", "logsift stores logs append-only: delete is not supported")))
            default:
                items.append(Item(action: action, index: index, id: id, error: (400, "illegal_argument_exception", "Unknown action [\(action)]")))
            }
        }
    }

    /// The response body: `took`, `errors` and one item per action with its status.
    func response(tookMs: Int) -> String {
        var s = "{\"took\":\(tookMs),\"errors\":\(items.contains { $0.error != nil }),\"items\":["
        for (n, item) in items.enumerated() {
            if n > 0 { s += "," }
            s += "{" + JSONText.quote(item.action) + ":{\"_index\":" + JSONText.quote(item.index) + ",\"_id\":" + JSONText.quote(item.id)
            if let e = item.error {
                s += ",\"status\":\(e.status),\"error\":{\"type\":" + JSONText.quote(e.type) + ",\"reason\":" + JSONText.quote(e.reason) + "}}}"
            } else {
                s += ",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":\(n),\"_primary_term\":1,\"status\":201}}"
            }
        }
        return s + "]}"
    }


    /// Why Elasticsearch would refuse `id` as a document id (nil: it would not).
    static func invalidID(_ id: String) -> String? {
        if id.isEmpty { return "Validation Failed: 1: if _id is specified it must not be empty;" }
        if id.utf8.count > 512 { return "Validation Failed: 1: id [\(id.prefix(32))...] is too long, must be no longer than 512 bytes but was: \(id.utf8.count);" }
        return nil
    }

    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".randomElement(using: &g)! })
    }
}
