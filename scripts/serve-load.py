#!/usr/bin/env python3
"""Load benchmark for `logsift serve`: POSTs batches of lines to /api/v1/logs at a target rate over
loopback (Python standard library only), then checks that every acknowledged line is stored.

  scripts/serve-load.py [--binary .build/release/logsift] [--rate 20000] [--seconds 60] [--batch 1000] [--threads 4]

Prints lines/s acknowledged, request latency percentiles, 429s, the server's peak RSS and the stored count.
"""
import argparse, http.client, os, re, subprocess, sys, tempfile, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=".build/release/logsift")
ap.add_argument("--rate", type=int, default=20000, help="target lines per second")
ap.add_argument("--seconds", type=int, default=60)
ap.add_argument("--batch", type=int, default=1000, help="lines per request")
ap.add_argument("--threads", type=int, default=4)
args = ap.parse_args()

data = tempfile.mkdtemp(prefix="logsift-load-")
server = subprocess.Popen([args.binary, "serve", "--data", data, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
for line in server.stdout:
    m = re.search(r"listening on [^:]+:(\d+)", line)
    if m:
        port = int(m.group(1))
        break
if port is None:
    sys.exit("serve did not start")

lock = threading.Lock()
acked = 0
refused = 0
latencies = []
seq = [0]
deadline = time.monotonic() + args.seconds
interval = args.batch * args.threads / args.rate  # seconds between one thread's requests

def worker(n):
    global acked, refused
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    next_at = time.monotonic() + n * interval / args.threads
    while time.monotonic() < deadline:
        with lock:
            start = seq[0]
            seq[0] += args.batch
        body = "".join(f"2026-11-20T10:00:00Z INFO loadseq={start + i} service=checkout request served in 12ms user={i % 977}\n" for i in range(args.batch)).encode()
        t0 = time.monotonic()
        conn.request("POST", "/api/v1/logs?deployment=load", body=body, headers={"Content-Type": "text/plain"})
        r = conn.getresponse()
        r.read()
        dt = time.monotonic() - t0
        with lock:
            latencies.append(dt)
            if r.status == 200:
                acked += args.batch
            else:
                refused += 1
        next_at += interval
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if r.status == 429:
            time.sleep(float(r.getheader("Retry-After", "1")))

t0 = time.monotonic()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.monotonic() - t0
with open(f"/proc/{server.pid}/status") as f:
    hwm = next((l.split()[1] for l in f if l.startswith("VmHWM")), "?")
server.terminate()
server.wait()
count = subprocess.run([args.binary, "search", "--data", data, "--count", "loadseq"], capture_output=True, text=True).stdout.strip()
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0
print(f"target {args.rate} lines/s for {args.seconds}s in batches of {args.batch}, {args.threads} connections")
print(f"acknowledged {acked} lines in {elapsed:.1f}s = {acked / elapsed:.0f} lines/s; 429s {refused}")
print(f"request latency p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms")
print(f"server peak RSS {int(hwm) // 1024 if hwm != '?' else '?'} MiB; stored {count} (acknowledged {acked}): {'OK' if count.isdigit() and int(count) >= acked else 'LOST LINES'}")
subprocess.run(["rm", "-rf", data])
