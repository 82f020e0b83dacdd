#!/usr/bin/env python3
"""Drives `logsift serve` with the official Elasticsearch Python client (8.x or 9.x), as a user moving from
ELK would, with the client's default settings. Prints one line per call: `name result`. Exits 1 on the
first exception. Usage: es-client-check.py PORT TOKEN TAG"""
import sys

from elasticsearch import Elasticsearch, helpers

port, token, tag = sys.argv[1], sys.argv[2], sys.argv[3]
# A logsift token as the password of Basic auth, as shippers configured for Elasticsearch send it.
es = Elasticsearch(f"http://127.0.0.1:{port}", basic_auth=("logsift", token) if token else None, request_timeout=30)


def out(name, value):
    print(name, value, flush=True)


out("ping", es.ping())
out("info", es.info()["version"]["number"])
out("health", es.cluster.health()["status"])
out("create", es.indices.create(index=f"{tag}-app")["acknowledged"])
out("exists", bool(es.indices.exists(index=f"{tag}-app")))
out("index", es.index(index=f"{tag}-app", document={"@timestamp": "2026-11-20T10:00:00Z", "message": f"{tag}line single seq=0"})["result"])
out("index_id", es.index(index=f"{tag}-app", id="doc-1", document={"@timestamp": "2026-11-20T10:00:01Z", "message": f"{tag}line with id seq=1"})["result"])


def docs(start, n):
    for i in range(start, start + n):
        yield {"_index": f"{tag}-app", "_source": {"@timestamp": "2026-11-20T10:01:00Z", "message": f"{tag}line bulk seq={i}", "log.level": "info"}}


out("bulk", helpers.bulk(es, docs(100, 1200), chunk_size=500))
ok = sum(1 for good, _ in helpers.streaming_bulk(es, docs(2000, 700), chunk_size=200) if good)
out("streaming_bulk", ok)
ok = sum(1 for good, _ in helpers.parallel_bulk(es, docs(3000, 900), chunk_size=200, thread_count=3) if good)
out("parallel_bulk", ok)
raw = es.bulk(operations=[{"create": {"_index": f"logs-{tag}-default"}}, {"@timestamp": "2026-11-20T10:02:00Z", "message": f"{tag}line datastream seq=9000"}])
out("bulk_create", (raw["errors"], raw["items"][0]["create"]["status"]))
out("count", es.count(index=f"{tag}-app")["count"])
out("count_q", es.count(index=f"{tag}-app", q=f"{tag}line AND \"seq=100\"")["count"])
r = es.search(index=f"{tag}-app", query={"query_string": {"query": f"{tag}line AND single"}}, size=5)
out("search", (r["hits"]["total"]["value"], r["hits"]["hits"][0]["_source"]["message"]))
r = es.search(index=f"{tag}-*", size=2, sort=[{"@timestamp": {"order": "asc"}}],
              aggs={"per_minute": {"date_histogram": {"field": "@timestamp", "fixed_interval": "1m"}}})
out("search_sorted", (r["hits"]["hits"][0]["_source"]["message"], [b["doc_count"] for b in r["aggregations"]["per_minute"]["buckets"]]))
try:
    es.search(index=f"{tag}-app", query={"query_string": {"query": "seq:[1 TO 5]"}})
    out("unsupported", "accepted")
except Exception as e:  # BadRequestError
    out("unsupported", (getattr(e, "status_code", None) or getattr(getattr(e, "meta", None), "status", None), "logsift does not support" in str(e)))
