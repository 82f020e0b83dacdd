/// Multi-line bodies: Java, Python and Go traces, CUDA out-of-memory errors, and long payloads.
/// Each trace starts with a newline: it continues the message it is appended to.
enum StackTrace {
    static func java(into out: ByteSink, _ rng: inout SplitMix64) {
        let pair = rng.pick(javaExceptionPairs)
        out.append(UInt8(ascii: "\n"))
        out.append(pair.0)
        appendJavaFrames(into: out, &rng, appFrames: rng.int(2...5), frameworkFrames: rng.int(8...30))
        if !pair.1.isEmpty {
            out.append("\nCaused by: ")
            out.append(pair.1)
            appendJavaFrames(into: out, &rng, appFrames: rng.int(0...2), frameworkFrames: rng.int(3...9))
            out.append("\n\t... ")
            out.appendDecimal(rng.int(20...64))
            out.append(" common frames omitted")
        }
    }

    private static func appendJavaFrames(into out: ByteSink, _ rng: inout SplitMix64, appFrames: Int, frameworkFrames: Int) {
        var start = rng.below(javaAppFrames.count)
        for _ in 0..<appFrames {
            out.append("\n\tat ")
            out.append(javaAppFrames[start % javaAppFrames.count])
            start += 1
        }
        start = rng.below(4)
        for _ in 0..<frameworkFrames {
            out.append("\n\tat ")
            out.append(javaFrameworkFrames[start % javaFrameworkFrames.count])
            start += 1
        }
    }

    static func python(into out: ByteSink, _ rng: inout SplitMix64) {
        let chained = rng.percent(25)
        if chained {
            appendPythonFrames(into: out, &rng)
            out.append("\nredis.exceptions.ConnectionError: Error 111 connecting to redis-master.data.svc.cluster.local:6379. Connection refused.")
            out.append("\n\nThe above exception was the direct cause of the following exception:\n")
        }
        appendPythonFrames(into: out, &rng)
        out.append(UInt8(ascii: "\n"))
        out.append(rng.pick(pythonExceptions))
    }

    private static func appendPythonFrames(into out: ByteSink, _ rng: inout SplitMix64) {
        out.append("\nTraceback (most recent call last):")
        var index = rng.below(pythonFrames.count)
        for _ in 0..<rng.int(3...9) {
            out.append("\n")
            out.append(pythonFrames[index % pythonFrames.count])
            index += 1 + rng.below(2)
        }
    }

    static func goPanic(into out: ByteSink, _ rng: inout SplitMix64) {
        out.append("\n\ngoroutine ")
        out.appendDecimal(rng.int(40...250_000))
        out.append(" [running]:")
        var index = rng.below(3)
        for _ in 0..<rng.int(5...11) {
            out.append(UInt8(ascii: "\n"))
            out.append(goFrames[index % goFrames.count])
            out.append(" +0x")
            out.appendHex(rng.next(), digits: 2 + rng.below(2))
            index += 1
        }
        out.append("\ncreated by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4")
    }

    static func cudaOutOfMemory(into out: ByteSink, _ rng: inout SplitMix64) {
        out.append("\nTraceback (most recent call last):")
        for frame in cudaFrames {
            out.append(UInt8(ascii: "\n"))
            out.append(frame)
        }
        out.append("\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate ")
        out.appendMilli(rng.int(1...8) * 500, decimals: 2)
        out.append(" GiB. GPU ")
        out.appendDecimal(rng.below(8))
        out.append(" has a total capacity of 79.15 GiB of which ")
        out.appendMilli(rng.int(20...900), decimals: 2)
        out.append(" MiB is free. Process ")
        out.appendDecimal(rng.int(40...9000))
        out.append(" has 79.12 GiB memory in use. Of the allocated memory 76.")
        out.appendPadded(rng.below(100), width: 2)
        out.append(" GiB is allocated by PyTorch, and 1.")
        out.appendPadded(rng.below(100), width: 2)
        out.append(" GiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)")
    }

    /// A JSON document of 17-64 KiB (a dumped request or cache snapshot).
    static func largePayload(into out: ByteSink, _ rng: inout SplitMix64) {
        let target = out.count + rng.int(17 * 1024...64 * 1024)
        out.append("{\"cart_id\":\"")
        out.appendUUID(&rng)
        out.append("\",\"items\":[")
        var first = true
        while out.count < target {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append("{\"sku\":\"SKU-")
            out.appendPadded(rng.skewed(20000), width: 5)
            out.append("\",\"qty\":")
            out.appendDecimal(rng.int(1...4))
            out.append(",\"price_cents\":")
            out.appendDecimal(rng.int(199...29999))
            out.append(",\"warehouse\":\"")
            out.append(rng.pick(Vocabulary.warehouses))
            out.append("\",\"tags\":[\"")
            out.append(rng.pick(Vocabulary.words))
            out.append("\"]}")
        }
        out.append("]}")
    }
}

private func lines(_ list: [String]) -> [[UInt8]] {
    list.map { Array($0.utf8) }
}

private let javaExceptionPairs: [([UInt8], [UInt8])] = [
    ("org.springframework.web.client.ResourceAccessException: I/O error on POST request for \"https://api.stripe.com/v1/payment_intents\": Read timed out",
     "java.net.SocketTimeoutException: Read timed out"),
    ("org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
     "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms."),
    ("java.lang.NullPointerException: Cannot invoke \"com.example.payments.model.Customer.getId()\" because \"customer\" is null", ""),
    ("java.lang.IllegalStateException: Idempotency key reuse with a different request payload", ""),
    ("org.springframework.kafka.KafkaException: Send failed",
     "org.apache.kafka.common.errors.TimeoutException: Topic payments.captured not present in metadata after 60000 ms."),
    ("com.example.payments.provider.ProviderException: adyen returned 500 Internal Server Error",
     "org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 Internal Server Error: \"{\"status\":500,\"errorCode\":\"905\",\"message\":\"Payment details are not supported\"}\""),
    ("org.springframework.orm.ObjectOptimisticLockingFailureException: Row was updated or deleted by another transaction",
     "org.hibernate.StaleObjectStateException: Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect) : [com.example.payments.model.Payment#8812734]"),
    ("jakarta.validation.ConstraintViolationException: capture.amount: must be greater than 0", ""),
].map { (Array($0.0.utf8), Array($0.1.utf8)) }

private let javaAppFrames = lines([
    "com.example.payments.provider.StripeClient.capture(StripeClient.java:214)",
    "com.example.payments.provider.AdyenClient.authorise(AdyenClient.java:131)",
    "com.example.payments.service.PaymentService.capture(PaymentService.java:88)",
    "com.example.payments.service.PaymentService.lambda$authorize$2(PaymentService.java:142)",
    "com.example.payments.service.RefundService.refund(RefundService.java:57)",
    "com.example.payments.web.PaymentController.capture(PaymentController.java:63)",
    "com.example.payments.web.PaymentController.authorize(PaymentController.java:41)",
    "com.example.payments.events.OutboxPublisher.publish(OutboxPublisher.java:77)",
    "com.example.payments.repository.PaymentRepositoryImpl.lockForUpdate(PaymentRepositoryImpl.java:39)",
])

private let javaFrameworkFrames = lines([
    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:915)",
    "org.springframework.web.client.RestTemplate.execute(RestTemplate.java:872)",
    "org.springframework.transaction.support.TransactionTemplate.execute(TransactionTemplate.java:140)",
    "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
    "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
    "org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:765)",
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
    "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:195)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)",
    "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
    "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
    "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
    "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344)",
    "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:397)",
    "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1736)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)",
    "java.base/java.lang.Thread.run(Thread.java:1583)",
    "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
    "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
    "java.base/java.net.SocketInputStream.read(SocketInputStream.java:186)",
    "java.base/sun.security.ssl.SSLSocketImpl$AppInputStream.read(SSLSocketImpl.java:1099)",
    "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149)",
])

private let pythonFrames = lines([
    "  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line 477, in trace_task\n    R = retval = fun(*args, **kwargs)",
    "  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line 760, in __protected_call__\n    return self.run(*args, **kwargs)",
    "  File \"/app/orders/tasks.py\", line 88, in sync_inventory\n    resp = client.post(url, json=payload, timeout=5)",
    "  File \"/app/orders/tasks.py\", line 142, in send_confirmation\n    mailer.send(template=\"order_confirmation\", to=order.email, context=ctx)",
    "  File \"/app/orders/services/fulfilment.py\", line 57, in allocate\n    stock = self.inventory.reserve(order.items, warehouse=warehouse)",
    "  File \"/app/orders/clients/inventory.py\", line 33, in reserve\n    return self._session.post(f\"{self.base}/api/v2/inventory/reserve\", json=body).json()",
    "  File \"/usr/local/lib/python3.11/site-packages/requests/sessions.py\", line 637, in post\n    return self.request(\"POST\", url, data=data, json=json, **kwargs)",
    "  File \"/usr/local/lib/python3.11/site-packages/requests/adapters.py\", line 700, in send\n    raise ConnectionError(e, request=request)",
    "  File \"/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py\", line 1967, in _exec_single_context\n    self.dialect.do_execute(",
    "  File \"/usr/local/lib/python3.11/site-packages/redis/connection.py\", line 353, in connect\n    sock = self.retry.call_with_retry(",
])

private let pythonExceptions = lines([
    "requests.exceptions.ConnectionError: HTTPConnectionPool(host='inventory.shop.svc.cluster.local', port=8080): Max retries exceeded with url: /api/v2/inventory/reserve (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1e5d50>: Failed to establish a new connection: [Errno 111] Connection refused'))",
    "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='inventory.shop.svc.cluster.local', port=8080): Read timed out. (read timeout=5)",
    "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.",
    "KeyError: 'shipping_address'",
    "ValueError: invalid literal for int() with base 10: 'N/A'",
    "smtplib.SMTPServerDisconnected: Connection unexpectedly closed",
    "celery.exceptions.SoftTimeLimitExceeded: SoftTimeLimitExceeded()",
    "redis.exceptions.ConnectionError: Error 111 connecting to redis-master.data.svc.cluster.local:6379. Connection refused.",
])

private let goFrames = lines([
    "github.com/example/checkout/internal/handler.(*Checkout).Confirm(0xc000a12340, {0x1b2e4c0, 0xc0012ab2d0}, 0xc000f1e900)\n\t/src/internal/handler/checkout.go:214",
    "github.com/example/checkout/internal/handler.(*Checkout).ServeHTTP(0xc000a12340, {0x1b2e4c0, 0xc0012ab2d0}, 0xc000f1e900)\n\t/src/internal/handler/checkout.go:61",
    "github.com/example/checkout/internal/middleware.Logging.func1({0x1b2e4c0, 0xc0012ab2d0}, 0xc000f1e900)\n\t/src/internal/middleware/logging.go:38",
    "net/http.HandlerFunc.ServeHTTP(0xc000512a80?, {0x1b2e4c0?, 0xc0012ab2d0?}, 0x0?)\n\t/usr/local/go/src/net/http/server.go:2220",
    "github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0001a8000, {0x1b2e4c0, 0xc0012ab2d0}, 0xc000f1e900)\n\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.1.0/mux.go:459",
    "github.com/go-chi/chi/v5.(*Mux).ServeHTTP(0xc0001a8000, {0x1b2e4c0, 0xc0012ab2d0}, 0xc000f1e600)\n\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.1.0/mux.go:90",
    "net/http.serverHandler.ServeHTTP({0xc000482000?}, {0x1b2e4c0?, 0xc0012ab2d0?}, 0x6?)\n\t/usr/local/go/src/net/http/server.go:3210",
    "net/http.(*conn).serve(0xc000c2e000, {0x1b2f8a8, 0xc0003b4000})\n\t/usr/local/go/src/net/http/server.go:2092",
])

private let cudaFrames = lines([
    "  File \"/app/serve/worker.py\", line 118, in handle_batch\n    outputs = self.model.generate(**inputs, max_new_tokens=params.max_tokens)",
    "  File \"/usr/local/lib/python3.11/site-packages/torch/utils/_contextlib.py\", line 116, in decorate_context\n    return func(*args, **kwargs)",
    "  File \"/usr/local/lib/python3.11/site-packages/transformers/generation/utils.py\", line 2215, in generate\n    result = self._sample(",
    "  File \"/usr/local/lib/python3.11/site-packages/torch/nn/modules/module.py\", line 1736, in _wrapped_call_impl\n    return self._call_impl(*args, **kwargs)",
    "  File \"/usr/local/lib/python3.11/site-packages/transformers/models/llama/modeling_llama.py\", line 1190, in forward\n    logits = self.lm_head(hidden_states[:, -num_logits_to_keep:, :])",
])
