package dev.runnerdesk.bench;

import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.server.GatewayServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code serve} under 16 concurrent clients, each running fake execs on a runner of its own, against the same
 * JDK HttpServer set-up (thread per request) answering a constant to 16 OkHttp clients: requests per second,
 * median of 5 rounds of 2 s after 4 s of warm-up.
 */
final class ServeThroughput {
    static final int CLIENTS = 16;
    private static final long ROUND_MILLIS = 2_000;

    private ServeThroughput() {
    }

    /** Requests per second of fake execs through {@code serve}. */
    static double ours(Path dataDir) throws Exception {
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider()));
             GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0).withRateLimit(0)).start()) {
            String key = runtime.apiKeys().create("bench", Role.ADMIN);
            List<Callable<Object>> calls = new ArrayList<>();
            List<RunnerService> clients = new ArrayList<>();
            ExecRequest echo = new ExecRequest(List.of("echo", "bench"), 30);
            for (int i = 0; i < CLIENTS; i++) {
                RunnerService client = new GatewayRunnerService(GatewayConnection.of(server.baseUrl(), key, false));
                clients.add(client);
                String runner = client.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600)).runnerId();
                String session = client.startSession(runner, Optional.empty()).sessionId();
                calls.add(() -> client.exec(runner, session, echo));
            }
            try {
                return Timing.median("serve, 16 clients of fake execs (req/s)", 2, 5, () -> rate(calls));
            } finally {
                clients.forEach(RunnerService::close);
            }
        }
    }

    /** Requests per second of the same server set-up answering a constant. */
    static double floor() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // the server at its best (serve sets it too)
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "floor-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        byte[] constant = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, constant.length);
            exchange.getResponseBody().write(constant);
            exchange.close();
        });
        server.start();
        try {
            OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
            Request get = new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + "/constant").build();
            List<Callable<Object>> calls = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                calls.add(() -> {
                    try (Response r = http.newCall(get).execute()) {
                        return r.body().string();
                    }
                });
            }
            return Timing.median("JDK HttpServer answering a constant, 16 clients (req/s)", 2, 5, () -> rate(calls));
        } finally {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    /** Each call on a thread of its own, in a loop, for one round; returns completed calls per second. */
    private static double rate(List<Callable<Object>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        AtomicBoolean stop = new AtomicBoolean();
        try {
            long start = System.nanoTime();
            List<Future<Long>> counts = new ArrayList<>();
            for (Callable<Object> call : calls) {
                counts.add(pool.submit(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        call.call();
                        n++;
                    }
                    return n;
                }));
            }
            Thread.sleep(ROUND_MILLIS);
            stop.set(true);
            long total = 0;
            for (Future<Long> f : counts) {
                total += f.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
