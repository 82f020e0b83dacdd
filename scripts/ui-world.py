#!/usr/bin/env python3
"""Writes the web UI tests' world of logs under DIR: a week up to now of five deployments (kubelet container
files, old and new ReplicaSet pods), each rolled out once by a CI job running helm, failures after two of the
rollouts, a chatty deployment of 10,000 events, recent events for the quick ranges, and markup in a message,
a field name and a field value. Prints the files in ingest order, one a line. Usage: ui-world.py DIR [NOW_EPOCH]"""
import os, sys, json, time, datetime
out = sys.argv[1]
now = int(sys.argv[2]) if len(sys.argv) > 2 else int(time.time())
DAY = 86400
start = now - 7 * DAY
cid = "0f1e2d3c" * 8
containers = os.path.join(out, "var", "log", "containers")
os.makedirs(containers, exist_ok=True)
os.makedirs(os.path.join(out, "ci"), exist_ok=True)
def ts(t, digits=9):
    frac = ("%09d" % int(round((t - int(t)) * 1e9)))[:digits]
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + "." + frac + "Z"
def cri(t, obj, stream="stdout"):
    return ts(t) + " " + stream + " F " + (obj if isinstance(obj, str) else json.dumps(obj)) + "\n"
files = []
deployments = [("payments", "6c8b7d9f4", "5f7d8c9b6"), ("checkout", "7d4b9c8f5", "8f5c2d2b4"), ("catalog", "9d8b7c6d5", "4c5b2f6d9"),
               ("search", "2b5c4d5f6", "5c4d5f6f7"), ("cart", "5f6f7d8b9", "6f7d8b9c2")]
later = []
for k, (name, old, new) in enumerate(deployments):
    rollout = start + (2 + k * 0.7) * DAY
    oldlines, newlines = [], []
    t = start + k * 60
    i = 0
    while t < rollout:
        oldlines.append(cri(t, {"level": "info", "msg": "request served", "route": "/api/" + name, "status": 200, "user": "u%d" % (i % 7)}))
        t += 1200; i += 1
    newlines.append(cri(rollout + 40, {"level": "info", "msg": "Starting " + name, "port": 8080}))
    t = rollout + 60
    step = 20 if name == "search" else 1200
    while t < now - 60:
        level, msg = "info", "request served"
        if name in ("payments", "checkout") and i % 6 == 0:
            level, msg = "error", "charge failed: card declined"
        elif i % 9 == 0:
            level, msg = "warn", "slow upstream"
        newlines.append(cri(t, {"level": level, "msg": msg, "route": "/api/" + name, "status": 500 if level == "error" else 200, "user": "u%d" % (i % 7)}))
        t += step; i += 1
    if name == "payments":
        # Recent events for the quick ranges: every 30 s over the last 14 minutes.
        newlines = [l for l in newlines if l[:19] < ts(now - 900)[:19]]
        for j in range(28):
            newlines.append(cri(now - 840 + j * 30, {"level": "info", "msg": "payment authorized", "id": 1000 + j, "user": "u%d" % (j % 7)}))
    if name == "cart":
        newlines = [l for l in newlines if l[:19] < ts(now - 300)[:19]]
        newlines.append(cri(now - 240, {"level": "error", "msg": "xsscheck <img src=x onerror=\"document.title='pwned'\"></script><script>document.title='pwned2'</script>",
                                        "<img src=x onerror=document.title='pwned3'>": "<svg onload=document.title='pwned4'>", "user": "u1"}))
    for (h, lines) in ((old, oldlines), (new, newlines)):
        path = os.path.join(containers, "%s-%s-x%dq9z_shop_%s-%s.log" % (name, h, k + 4, name, cid))
        open(path, "w").write("".join(lines))
        files.append(path)
    ci = os.path.join(out, "ci", "deploy-%s.log" % name)
    open(ci, "w").write("".join(ts(rollout + dt, 7) + " " + text + "\n" for dt, text in [
        (-300, "Syncing repository: example/" + name),
        (-240, "+ docker build -t registry.example.com/shop/%s:2.%d.0 ." % (name, k)),
        (-180, "Successfully tagged registry.example.com/shop/%s:2.%d.0" % (name, k)),
        (-120, "##[group]Run helm upgrade %s ./chart --set image.tag=2.%d.0" % (name, k)),
        (-90, "Release \"%s\" has been upgraded. Happy Helming!" % name)]))
    later.append(ci)
print("\n".join(files + later))
