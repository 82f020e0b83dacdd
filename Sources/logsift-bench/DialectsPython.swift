/// Python services: a Celery worker with plain logging, and the ML inference and training services.
extension Dialect {
    static let ordersWorker = Dialect(
        name: "orders-worker", layout: .python, stream: .stderr,
        loggers: ["orders.tasks", "orders.services.fulfilment", "orders.clients.inventory", "orders.mailer", "orders.billing"],
        probePercent: 32,
        startup: [
            .info(1, #"[{pyts}: INFO/MainProcess] Connected to amqp://orders:**@rabbitmq.data.svc.cluster.local:5672//"#, layout: .raw),
            .info(1, #"[{pyts}: INFO/MainProcess] mingle: searching for neighbors"#, layout: .raw),
            .info(1, #"[{pyts}: INFO/MainProcess] mingle: all alone"#, layout: .raw),
            .info(1, #"[{pyts}: INFO/MainProcess] celery@{pod} ready."#, layout: .raw),
            .info(1, "Health server listening on 0.0.0.0:8000", logger: "orders.health"),
        ],
        shutdown: [
            .info(1, #"worker: Warm shutdown (MainProcess)"#, layout: .raw),
            .info(1, "Health server stopped", logger: "orders.health"),
        ],
        long: [
            .debug(1, "Order payload for {order}: {payload}", logger: "orders.tasks"),
        ],
        probes: [
            .info(50, #"{probeip} [{clf}] "GET /healthz HTTP/1.1" 200 155 "-" "kube-probe/1.29""#, logger: "aiohttp.access"),
            .info(40, #"{probeip} [{clf}] "GET /readyz HTTP/1.1" 200 155 "-" "kube-probe/1.29""#, logger: "aiohttp.access"),
            .info(20, #"{promip} [{clf}] "GET /metrics HTTP/1.1" 200 {bytes} "-" "Prometheus/2.54.1""#, logger: "aiohttp.access"),
            .debug(10, "heartbeat sent to amqp://rabbitmq.data.svc.cluster.local:5672// (interval 60s)", logger: "kombu.connection"),
        ],
        app: [
            .info(80, "Task orders.tasks.process_order[{uuid}] received", logger: "celery.worker.strategy"),
            .info(80, "Task orders.tasks.process_order[{uuid}] succeeded in {sec}s: None", logger: "celery.app.trace"),
            .info(40, "Task orders.tasks.send_confirmation[{uuid}] succeeded in {sec}s: {'sent': True}", logger: "celery.app.trace"),
            .info(50, "Processing order {order} for user {uid} ({n} items, total {cents} {cur})"),
            .info(30, "Allocated stock for order {order} from warehouse {warehouse}"),
            .info(30, "Shipment created for order {order}: carrier={carrier} tracking={hex8}{hex8}"),
            .info(25, "Sent order confirmation email to {email} for order {order}", logger: "orders.mailer"),
            .debug(60, "SELECT orders.id, orders.status, orders.total_cents FROM orders WHERE orders.id = %(id_1)s took {ms}ms", logger: "orders.db"),
            .debug(30, "Inventory API POST /api/v2/inventory/reserve -> {status} in {ms}ms", logger: "orders.clients.inventory"),
            .info(15, "Invoice rendered for order {order} ({n} pages) in {ms}ms", logger: "orders.billing"),
            .info(10, "Refund issued for order {order}: {cents} {cur}", logger: "orders.billing"),
            .warn(10, "Retrying task orders.tasks.sync_inventory[{uuid}] in {n}s: ConnectionError", logger: "celery.app.trace"),
            .warn(6, "Order {order} has no shipping address, skipping allocation"),
            .warn(5, "Slow task orders.tasks.render_invoice took {sec}s (soft limit 30s)", logger: "orders.billing"),
            .error(6, "Task orders.tasks.sync_inventory[{uuid}] raised unexpected: ConnectionError{pytrace}", logger: "celery.app.trace"),
            .error(4, "Failed to send confirmation email for order {order}{pytrace}", logger: "orders.mailer"),
            .error(3, "Error processing order {order}{pytrace}"),
        ])

    static let inferenceServer = Dialect(
        name: "inference-server", layout: .structlogJSON,
        loggers: ["inference.server", "inference.batcher", "inference.model", "inference.features"],
        probePercent: 40,
        startup: [
            .info(1, "INFO:     Started server process [1]", layout: .raw, stream: .stderr),
            .info(1, "INFO:     Waiting for application startup.", layout: .raw, stream: .stderr),
            .info(1, "loading model || model={model} device=cuda:0 dtype=float16 revision={build}", logger: "inference.model"),
            .info(1, "model loaded || model={model} load_seconds={sec} params=8.03B gpu_mem_mib={mib}", logger: "inference.model"),
            .info(1, "warmup complete || batches=8 p50_ms={ms}", logger: "inference.model"),
            .info(1, "INFO:     Application startup complete.", layout: .raw, stream: .stderr),
            .info(1, "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)", layout: .raw, stream: .stderr),
        ],
        shutdown: [
            .info(1, "INFO:     Shutting down", layout: .raw, stream: .stderr),
            .info(1, "INFO:     Waiting for application shutdown.", layout: .raw, stream: .stderr),
            .info(1, "INFO:     Application shutdown complete.", layout: .raw, stream: .stderr),
            .info(1, "INFO:     Finished server process [1]", layout: .raw, stream: .stderr),
        ],
        long: [
            .debug(1, "request payload || request_id={rid32} body={payload}", logger: "inference.server"),
        ],
        probes: [
            .info(50, #"INFO:     {podip}:{port} - "GET /healthz HTTP/1.1" 200 OK"#, layout: .raw),
            .info(40, #"INFO:     {podip}:{port} - "GET /readyz HTTP/1.1" 200 OK"#, layout: .raw),
            .info(25, #"INFO:     {promip}:{port} - "GET /metrics HTTP/1.1" 200 OK"#, layout: .raw),
            .debug(10, "gpu heartbeat || gpu={gpu} util_pct={pct} mem_used_mib={mib} temp_c={n100}", logger: "inference.model"),
        ],
        app: [
            .info(100, #"INFO:     {podip}:{port} - "POST /v1/predict HTTP/1.1" 200 OK"#, layout: .raw),
            .info(40, #"INFO:     {podip}:{port} - "POST /v1/embeddings HTTP/1.1" 200 OK"#, layout: .raw),
            .info(80, "prediction served || request_id={rid32} model={model} batch_size={batch} latency_ms={msf} queue_ms={n} tokens={tokens}", logger: "inference.server"),
            .debug(60, "batch assembled || batch_size={batch} wait_ms={n} queue_depth={n}", logger: "inference.batcher"),
            .info(20, "embedding computed || request_id={rid32} model={model} dims=768 latency_ms={msf}", logger: "inference.server"),
            .debug(25, "feature cache hit || user_id={uid} features=42 age_s={n1k}", logger: "inference.features"),
            .info(15, "model metrics || model={model} p50_ms={ms} p99_ms={ms} rps={n100}", logger: "inference.model"),
            .warn(8, "request queue saturated || queue_depth={n1k} max=512", logger: "inference.batcher"),
            .warn(6, "slow inference || request_id={rid32} model={model} latency_ms={msf}", logger: "inference.server"),
            .warn(4, "input truncated || request_id={rid32} tokens={tokens} max_tokens=2048", logger: "inference.server"),
            .error(4, "ERROR:    Exception in ASGI application{cudaoom}", layout: .raw, stream: .stderr),
            .error(4, "inference failed || request_id={rid32} model={model} error='CUDA error: device-side assert triggered'", logger: "inference.server"),
            .error(3, "feature store timeout || host=feast.ml.svc.cluster.local:6566 error={err}", logger: "inference.features"),
        ])

    static let modelTrainer = Dialect(
        name: "model-trainer", layout: .raw, loggers: [],
        probePercent: 8,
        startup: [
            .info(1, "[{pyts}] INFO: Initialized process group: backend=nccl world_size=8 rank={gpu} master=model-trainer-0.model-trainer.ml.svc.cluster.local:29500"),
            .info(1, "[{pyts}] INFO: Loading dataset shards from s3://ml-datasets/reviews-2026-11/ ({n100} shards, {big} examples)"),
            .info(1, "[{pyts}] INFO: Model: bert-base-uncased-ft-reviews parameters=110M trainable=110M precision=bf16"),
            .info(1, "[{pyts}] INFO: Resuming from checkpoint s3://ml-checkpoints/reviews-ft/step-{step}"),
            .info(1, "{pod}:{n}:{n} [{gpu}] NCCL INFO Bootstrap : Using eth0:{selfip}<0>"),
            .info(1, "{pod}:{n}:{n} [{gpu}] NCCL INFO NET/Plugin: No plugin found (libnccl-net.so), using internal implementation"),
        ],
        shutdown: [
            .info(1, "[{pyts}] INFO: Received SIGTERM, saving checkpoint before exit"),
            .info(1, "[{pyts}] INFO: Saved checkpoint to s3://ml-checkpoints/reviews-ft/step-{step} ({mib} MiB) in {sec}s"),
            .info(1, "[{pyts}] INFO: Training interrupted at step {step}; exiting"),
        ],
        crash: [
            .error(1, "[{pyts}] ERROR: Training step {step} failed{cudaoom}", stream: .stderr),
        ],
        long: [
            .info(1, "[{pyts}] INFO: Effective config: {payload}"),
        ],
        probes: [
            .info(60, #"INFO:     {promip}:{port} - "GET /metrics HTTP/1.1" 200 OK"#),
            .debug(40, "[{pyts}] DEBUG: heartbeat rank={gpu} alive step={step}"),
        ],
        app: [
            .info(200, "Epoch {epoch}/50 | step {step} | loss={loss} | lr={lr} | grad_norm={float} | throughput={tput} samples/s"),
            .info(40, "[{pyts}] INFO: [eval] epoch={epoch} step={step} val_loss={loss} val_acc={float} f1={float}"),
            .info(10, "[{pyts}] INFO: Saved checkpoint to s3://ml-checkpoints/reviews-ft/step-{step} ({mib} MiB) in {sec}s"),
            .debug(40, "{pod}:{n}:{n} [{gpu}] NCCL INFO AllReduce: opCount {hex8} sendbuff 0x7f{build} count 109483778 datatype 7 op 0 root 0 comm 0x{build} [nranks=8] stream 0x{build}"),
            .debug(20, "[{pyts}] DEBUG: dataloader prefetched {n} batches, queue={n}, worker_time={msf}ms"),
            .info(15, "[{pyts}] INFO: GPU {gpu}: util={pct}% mem={mib}MiB/81920MiB power={n100}0W"),
            .warn(5, "[{pyts}] WARNING: Gradient overflow detected, skipping step {step}, reducing loss scale to {n1k}.0"),
            .warn(3, "{pod}:{n}:{n} [{gpu}] NCCL WARN Connection closed by remote peer model-trainer-1.model-trainer.ml.svc.cluster.local<{port}>", stream: .stderr),
            .error(2, "[{pyts}] ERROR: Non-finite loss detected at step {step}: nan, skipping batch", stream: .stderr),
        ])
}
