/// The orchestration of ``ShipChaosTests``, in Python (subprocess reaps its children properly): three node
/// directories written and rotated by threads, one agent per node shipping to one `logsift serve`, agents and the
/// server killed with -9 at random, the server kept down for a while; at the end the store is read back (export,
/// stats) and a JSON summary printed.
enum ShipChaosScript {
    static let text = #"""
    import json, os, random, shutil, signal, subprocess, sys, threading, time
    binary, root, seconds, seed, store, server_signal = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
    rng = random.Random(seed)
    token = "ship-chaos-token-0123456789"
    open(root + "/serve.yaml", "w").write("server:\n  tokens:\n    - {token: %s, scopes: [ingest, read]}\n" % token)
    open(root + "/token", "w").write(token + "\n")
    data = root + "/data"
    where = ["--store", store] if store != "embedded" else ["--data", data]
    NODES = 3
    HEX = "0123456789abcdef" * 4

    # Files: per node two containers of one pod (kubelet's name: pod_namespace_container-id.log).
    files = []  # (node, index, path, namespace, pod, container)
    for k in range(NODES):
        d = f"{root}/n{k}/containers"
        os.makedirs(d)
        for i, c in enumerate(["app", "sidecar"]):
            ns, pod = f"shop{k}", f"api{k}-5f7d8c9b4-x2x7k"
            files.append((k, i, f"{d}/{pod}_{ns}_{c}-{HEX}.log", ns, pod, c))

    written = {}          # (node, file) -> app lines written
    chatter = [0]
    rotations = [0]
    lock = threading.Lock()
    stop_writing = threading.Event()

    def writer(k):
        wrng = random.Random(seed * 31 + k)
        mine = [f for f in files if f[0] == k]
        seqs = {f[1]: 0 for f in mine}
        rot = {f[1]: 0 for f in mine}
        while not stop_writing.is_set():
            for (_, i, path, _, _, _) in mine:
                out = []
                for _ in range(1 + wrng.randrange(12)):
                    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%09dZ" % wrng.randrange(10**9)
                    if wrng.random() < 0.2:
                        out.append(f"{ts} stdout F GET /healthz HTTP/1.1 200 kube-probe/1.29\n")
                        with lock: chatter[0] += 1
                    else:
                        s = seqs[i]; seqs[i] += 1
                        out.append(f"{ts} stdout F level=info msg=\"order processed\" node=node{k} file={i} seq={s} rid={wrng.getrandbits(64):016x}\n")
                with open(path, "a") as f: f.write("".join(out))
                with lock: written[(k, i)] = seqs[i]
                if os.path.getsize(path) > 24 << 10:
                    rot[i] += 1
                    os.rename(path, f"{path}.{rot[i]}")
                    open(path, "a").close()
                    with lock: rotations[0] += 1
            time.sleep(0.02 + wrng.random() * 0.05)

    port = [0]
    def start_server():
        for attempt in range(50):
            p = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port[0]}", "--config", root + "/serve.yaml"] + where,
                                 stdout=subprocess.PIPE, stderr=open(root + "/serve.err", "a"))
            line = p.stdout.readline().decode()
            if "listening on" in line:
                port[0] = int(line.strip().rsplit(":", 1)[1])
                return p
            p.kill(); p.wait(); time.sleep(0.2)
        sys.exit("serve did not start on port %d: %s" % (port[0], open(root + "/serve.err").read()[-2000:]))

    def start_agent(k):
        args = [binary, "tail", "--ship", f"http://127.0.0.1:{port[0]}", "--token-file", root + "/token", "--node", f"node{k}",
                "--state-dir", f"{root}/n{k}/state", "--retry-max-ms", "400", "--poll-ms", "50", "--commit-ms", "200",
                "--rescan-ms", "200", "--ship-timeout-ms", "5000", f"{root}/n{k}/containers/*.log"]
        if k == NODES - 1: args += ["--filter", "server"]
        # Acknowledgements lost on the way and agents dying right after one: the resend paths, every run.
        env = dict(os.environ, LOGSIFT_SHIP_FAULTS="lose-ack=0.08,exit-after-ack=0.03")
        return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(f"{root}/n{k}/agent.err", "a"), env=env)

    def stats():
        r = subprocess.run([binary, "stats", "--json"] + where, capture_output=True, text=True)
        return json.loads(r.stdout) if r.returncode == 0 else None

    t0 = time.time()
    server = start_server()
    agents = [start_agent(k) for k in range(NODES)]
    threads = [threading.Thread(target=writer, args=(k,)) for k in range(NODES)]
    for t in threads: t.start()
    exits_after_ack = 0
    def revive():
        nonlocal_exits = 0
        for k in range(NODES):
            if agents[k].poll() is not None:
                nonlocal_exits += 1
                agents[k] = start_agent(k)
        return nonlocal_exits
    # Each agent's first batch is acknowledged before the first kill (a file no checkpoint has named, rotated
    # away while its agent is down, is invisible to any tailer: see the README).
    while time.time() < t0 + 30:
        exits_after_ack += revive()
        try:
            if all(json.load(open(f"{root}/n{k}/state/agent.json"))["seq"] >= 1 for k in range(NODES)): break
        except (OSError, ValueError): pass
        time.sleep(0.05)
    kills_agent = kills_server = 0
    t1 = time.time()
    end = t1 + seconds
    down_for = 0.0
    while time.time() < end:
        time.sleep(0.3 + rng.random() * 0.7)
        exits_after_ack += revive()
        r = rng.random()
        long_down = down_for == 0 and time.time() > t1 + seconds / 2
        if long_down or r >= 0.75:
            server.send_signal(signal.SIGKILL if server_signal == "kill" else signal.SIGTERM); server.wait(); kills_server += 1
            pause = 4.0 if long_down else 0.1 + rng.random() * 0.5
            if long_down: down_for = pause
            time.sleep(pause)
            server = start_server()
        else:
            k = rng.randrange(NODES)
            agents[k].kill(); agents[k].wait(); kills_agent += 1
            time.sleep(0.05 + rng.random() * 0.5)
            agents[k] = start_agent(k)
    stop_writing.set()
    for t in threads: t.join()
    expected = sum(written.values())
    # Catch up: every app line stored, every chatter line accounted for.
    deadline = time.time() + 60
    s = None
    while time.time() < deadline:
        exits_after_ack += revive()
        s = stats()
        if s and s["events"] >= expected and s["noise_dropped"] >= chatter[0]: break
        time.sleep(0.5)
    time.sleep(1.0)
    for a in agents: a.send_signal(signal.SIGTERM)
    for a in agents: a.wait()
    server.send_signal(signal.SIGTERM); server.wait()
    s = stats()
    ex = subprocess.run([binary, "export"] + where, capture_output=True, text=True)
    counts = {}
    label_errors = []
    by_file = {(f[0], f[1]): f for f in files}
    others = 0
    for line in ex.stdout.splitlines():
        e = json.loads(line)
        kv = {k: str(v) for k, v in (e.get("fields") or {}).items()}
        kv.update(dict(p.split("=", 1) for p in e.get("message", "").split() if "=" in p))
        if "seq" not in kv or "node" not in kv:
            others += 1
            continue
        k, i, q = int(kv["node"][4:]), int(kv["file"]), int(kv["seq"])
        counts[(k, i, q)] = counts.get((k, i, q), 0) + 1
        (_, _, path, ns, pod, c) = by_file[(k, i)]
        if (e.get("namespace"), e.get("pod"), e.get("container")) != (ns, pod, c) or not e.get("source", "").startswith(f"node{k}:"):
            if len(label_errors) < 5: label_errors.append(line)
    missing = sum(1 for (k, i), n in written.items() for q in range(n) if (k, i, q) not in counts)
    dup = sum(v - 1 for v in counts.values() if v > 1)
    dropped_rules = sum(n["events"] for n in s.get("noise", []) if n["kind"] == "dropped")
    print(json.dumps({"written": expected, "stored_unique": len(counts), "missing": missing, "duplicates": dup, "other_events": others,
                      "label_errors": label_errors, "chatter_written": chatter[0], "noise_dropped": s["noise_dropped"],
                      "noise_rule_dropped": dropped_rules, "rotations": rotations[0], "kills_agent": kills_agent,
                      "kills_server": kills_server, "exits_after_ack": exits_after_ack, "server_down_s": down_for, "seconds": round(time.time() - t0, 1)}))
    """#
}
