import LogCore

extension NoiseFilter {
    /// Performs the action of rule `r`, which matched the event.
    func apply(_ r: Int, text: UnsafeBufferPointer<UInt8>, ns: Int64, state: StreamState, streamKey: Int,
               http: inout AccessLogFields, template: inout (TemplateID?, Bool)) -> FilterVerdict.Decision {
        switch config.rules[r].action {
        case .drop: return .drop(rule: r, reason: .dropped)
        case .keep: return .keepByRule(r)
        case .redact: preconditionFailure("BUG: redact rules do not decide")
        case .sample(let every):
            let n = sampleCounters[r]
            sampleCounters[r] = n + 1
            return n % every == 0 ? .keep : .drop(rule: r, reason: .sampled)
        case .dedup(let window):
            let key = DedupKey(rule: Int32(r), stream: streamKey, hash: Tokenizer.hash(text))
            if var run = dedupRuns[key] {
                if ns >= run.firstNs, ns - run.firstNs < window {
                    run.repeats += 1
                    run.lastNs = max(run.lastNs, ns)
                    dedupRuns[key] = run
                    return .drop(rule: r, reason: .deduplicated)
                }
                close(key, run)
            }
            if dedupRuns.count >= Self.maxDedupRuns { for (k, v) in dedupRuns { close(k, v) } }
            dedupRuns[key] = DedupRun(firstNs: ns, lastNs: ns, repeats: 0, text: Array(text))
            return .keep
        case .throttle(let limit, let interval, let keyKind):
            let k = ThrottleKeyValue(rule: Int32(r), key: throttleKey(keyKind, text, state, streamKey, &http, &template))
            var w = throttles[k] ?? ThrottleWindow(startNs: ns, count: 0)
            if ns - w.startNs >= interval || ns < w.startNs { w = ThrottleWindow(startNs: ns, count: 0) }
            w.count += 1
            if throttles.count >= Self.maxThrottleKeys, throttles[k] == nil { throttles.removeAll(keepingCapacity: true) }
            throttles[k] = w
            return w.count <= limit ? .keep : .drop(rule: r, reason: .throttled)
        }
    }

    private func throttleKey(_ kind: ThrottleKey, _ text: UnsafeBufferPointer<UInt8>, _ state: StreamState, _ streamKey: Int,
                             _ http: inout AccessLogFields, _ template: inout (TemplateID?, Bool)) -> UInt64 {
        switch kind {
        case .stream: return UInt64(bitPattern: Int64(streamKey))
        case .message: return Tokenizer.hash(text)
        case .path:
            guard let r = http.path(in: text) else { return 0 }
            return Tokenizer.hash(UnsafeBufferPointer(rebasing: text[r]))
        case .template: return cachedTemplate(&template, text).0?.rawValue ?? 0
        default: return Tokenizer.hash(state.labels[label: kind.rawValue] ?? "")
        }
    }

    func close(_ key: DedupKey, _ run: DedupRun) {
        dedupRuns[key] = nil
        guard run.repeats > 0 else { return }
        closedRuns.append(DedupSummary(streamKey: key.stream, rule: Int(key.rule), firstNs: run.firstNs, lastNs: run.lastNs,
                                       repeats: run.repeats, text: run.text))
    }

    /// Applies every matching `redact` rule in order; returns the first that changed the text, with the
    /// result in `out`.
    func redact(_ text: UnsafeBufferPointer<UInt8>, level: UInt8, state: StreamState, ns: Int64, into out: ByteBuffer) -> Int? {
        var first: Int? = nil
        var current = text
        var http = AccessLogFields()
        var template: (TemplateID?, Bool) = (nil, false)
        for r in redactRules {
            guard levelMasks[r] & level != 0, passesGate(r), state.labelOK[r],
                  matches[r].textMatches(current, hits: hits, http: &http,
                                         template: { cachedTemplate(&template, current) }, skipRegex: true) else { continue }
            let replacement = replacements[r]
            scratch.removeAll()
            var changed = false
            for re in matches[r].regexes {
                if changed {  // later patterns of the same rule run on the text replaced so far
                    let copy = Array(scratch.bytes)
                    scratch.removeAll()
                    let did = copy.withUnsafeBufferPointer { replaceAll(re, in: $0, with: replacement, into: scratch) }
                    if !did { copy.withUnsafeBufferPointer { scratch.append($0) } }
                } else {
                    changed = replaceAll(re, in: current, with: replacement, into: scratch)
                }
            }
            guard changed else { continue }
            if first == nil { first = r }
            account(r, state, ns, text) { $0.redacted.add(text.count) }
            out.removeAll()
            out.append(scratch.bytes)
            current = out.bytes
            http = AccessLogFields()  // its ranges were into the text before this replacement
        }
        return first
    }

    /// Writes `text` with every match of `re` replaced to `out`; false (and `out` empty) when nothing matched.
    private func replaceAll(_ re: ByteRegex, in text: UnsafeBufferPointer<UInt8>, with replacement: String, into out: ByteBuffer) -> Bool {
        var pos = 0, changed = false
        while pos <= text.count, let m = re.firstMatch(in: text, from: pos) {
            if !changed { out.removeAll(); changed = true }
            out.append(UnsafeBufferPointer(rebasing: text[pos..<m.lowerBound]))
            out.append(replacement)
            pos = m.upperBound > m.lowerBound ? m.upperBound : m.upperBound + 1
            if m.upperBound == m.lowerBound, m.lowerBound < text.count { out.append(text[m.lowerBound]) }
        }
        if changed, pos < text.count { out.append(UnsafeBufferPointer(rebasing: text[pos...])) }
        return changed
    }
}
