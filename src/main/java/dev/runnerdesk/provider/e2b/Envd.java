package dev.runnerdesk.provider.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.core.InterruptWatch;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.provider.CappedOutput;
import dev.runnerdesk.wire.Json;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One sandbox's envd, over the Connect protocol with JSON: {@code process.Process/Start} as a server stream
 * (commands and PTYs), {@code SendInput}, {@code SendSignal}, {@code Update}; {@code GET /health} over REST (the
 * filesystem service and {@code /files} are {@link EnvdFiles}'). Every call carries the sandbox's access token; a
 * stream that ends without its end-of-stream envelope is told apart by {@code /health}: sandbox gone, or a network blip.
 */
public final class Envd {
    private static final MediaType CONNECT_JSON = MediaType.get("application/connect+json");
    private static final MediaType JSON = MediaType.get("application/json");
    /** Seconds between envd's keepalive messages on a stream (the SDK's value; envd's default is 90). */
    static final int KEEPALIVE_SECONDS = 50;
    /** Exit code of a command that ran out of time (as {@code timeout(1)} and the local provider say). */
    public static final int TIMED_OUT_EXIT = 124;

    private final String sandboxId;
    private final E2bConfig.EnvdAddress address;
    private final Optional<String> accessToken;
    private final OkHttpClient http;
    private final OkHttpClient streams;

    public Envd(String sandboxId, E2bConfig.EnvdAddress address, Optional<String> accessToken, OkHttpClient http) {
        this.sandboxId = sandboxId;
        this.address = address;
        this.accessToken = accessToken;
        this.http = http;
        // a stream hears at least a keepalive every KEEPALIVE_SECONDS; silence for twice that is a dead connection
        this.streams = http.newBuilder().readTimeout(Duration.ofSeconds(2L * KEEPALIVE_SECONDS)).build();
    }

    public String sandboxId() {
        return sandboxId;
    }

    String baseUrl() {
        return address.baseUrl();
    }

    OkHttpClient http() {
        return http;
    }

    /** For long streams: the keepalive read timeout. */
    OkHttpClient streams() {
        return streams;
    }

    /** What a finished command left. */
    public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated,
                                Optional<String> error) {
    }

    /**
     * Runs {@code command} through {@code /bin/bash -l -c} and waits for it; output goes to {@code output} as it
     * arrives, each stream kept up to {@code capBytes}. {@code timeout} null or zero = no limit (no
     * {@code Connect-Timeout-Ms} header: 0 would mean "already expired" to Connect).
     */
    public CommandResult run(String command, Duration timeout, OutputListener output, int capBytes) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("cmd", "/bin/bash");
        process.put("args", List.of("-l", "-c", command));
        process.put("envs", Map.of());
        String tag = newTag("command");
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("process", process);
        start.put("stdin", false);
        start.put("tag", tag);
        boolean limited = timeout != null && !timeout.isZero();
        Request.Builder request = rpc("process.Process/Start", CONNECT_JSON, ConnectFrames.envelope(Json.write(start).getBytes()))
                .header("Keepalive-Ping-Interval", String.valueOf(KEEPALIVE_SECONDS));
        if (limited) {
            request.header("Connect-Timeout-Ms", String.valueOf(timeout.toMillis()));
        }
        // envd ends the command at its timeout; the client gives up a little later should envd never answer
        OkHttpClient client = limited ? streams.newBuilder().callTimeout(timeout.plusSeconds(30)).build() : streams;
        CappedOutput out = new CappedOutput(OutputListener.Stream.STDOUT, output, capBytes);
        CappedOutput err = new CappedOutput(OutputListener.Stream.STDERR, output, capBytes);
        Call call = client.newCall(request.build());
        long pid = -1;
        InterruptWatch.Handle watch = InterruptWatch.watch(call::cancel);
        try (watch; Response response = call.execute()) {
            requireStream("running a command", response);
            BufferedSource body = response.body().source();
            JsonNode end = null;
            while (true) {
                ConnectFrames.Frame frame = ConnectFrames.next(body);
                if (frame == null) {
                    throw dropped("the command's output stream");
                }
                if (frame.endOfStream()) {
                    JsonNode error = frame.message().path("error");
                    out.finish();
                    err.finish();
                    if (!error.isMissingNode() && !error.isNull()) {
                        String code = error.path("code").asText("unknown");
                        if (code.equals("deadline_exceeded")) {
                            return new CommandResult(TIMED_OUT_EXIT, out.text(), err.text(), true,
                                    out.truncated() || err.truncated(), Optional.of(error.path("message").asText("")));
                        }
                        throw E2bErrors.connect("running a command in E2B sandbox " + sandboxId, code,
                                error.path("message").asText(""));
                    }
                    if (end == null) {
                        throw new RunnerException.Unavailable("E2B sandbox " + sandboxId + ": the process ended without a result");
                    }
                    Optional<String> failure = end.hasNonNull("error") ? Optional.of(end.get("error").asText()) : Optional.empty();
                    return new CommandResult(end.path("exitCode").asInt(0), out.text(), err.text(), false,
                            out.truncated() || err.truncated(), failure);
                }
                JsonNode event = frame.message().path("event");
                if (event.has("start")) {
                    pid = event.path("start").path("pid").asLong(-1);
                } else if (event.has("data")) {
                    JsonNode data = event.get("data");
                    if (data.has("stdout")) {
                        byte[] b = Base64.getDecoder().decode(data.get("stdout").asText());
                        out.accept(b, 0, b.length);
                    } else if (data.has("stderr")) {
                        byte[] b = Base64.getDecoder().decode(data.get("stderr").asText());
                        err.accept(b, 0, b.length);
                    }
                } else if (event.has("end")) {
                    end = event.get("end");
                }
                // keepalive: nothing to do, it only kept the connection open
            }
        } catch (IOException e) {
            if (watch.aborted() || Thread.currentThread().isInterrupted()) {
                killInBackground(tag); // the person cancelled: the command stops too, output read or not
                throw cancelled("running a command");
            }
            if (!(e instanceof InterruptedIOException)) {
                if (pid < 0) {
                    killInBackground(tag); // started, perhaps, but never reported: nobody would ever end it
                }
                throw dropped("the command's output stream (" + e.getMessage() + ")");
            }
            if (pid > 0) {
                kill(pid);
            } else {
                killInBackground(tag);
            }
            out.finish();
            err.finish();
            return new CommandResult(TIMED_OUT_EXIT, out.text(), err.text(), true, out.truncated() || err.truncated(),
                    Optional.of("envd did not end the command at its timeout"));
        }
    }

    /** Starts {@code command} with no time limit and leaves it running (envd keeps it after the stream closes); its pid. */
    public long startBackground(String command) {
        Map<String, Object> process = Map.of("cmd", "/bin/bash", "args", List.of("-l", "-c", command), "envs", Map.of());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("process", process);
        start.put("stdin", false);
        Started started = start(start, "command", "starting a background command");
        started.response().close(); // envd keeps the command after its stream closes
        return started.pid();
    }

    /** Opens an interactive login shell in a PTY of {@code size}, with no time limit. */
    public Terminal openPty(TerminalSize size, TerminalListener listener) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("cmd", "/bin/bash");
        process.put("args", List.of("-i", "-l"));
        process.put("envs", Map.of("TERM", "xterm-256color", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"));
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("process", process);
        start.put("pty", Map.of("size", size(size)));
        Started started = start(start, "shell", "opening a terminal");
        return new Pty(started.pid(), started.call(), started.response(), listener);
    }

    /** A Start stream whose start event was read: the process's pid, and the stream that goes on reporting it. */
    private record Started(long pid, Call call, Response response) {
    }

    /**
     * Sends {@code start} and reads up to its start event. The request carries a tag of its own, so that when the
     * open fails once the request went out (cancelled by an interrupt of this thread, the connection lost, no start
     * event) the process envd may have started is killed by that tag: without the pid nothing else could end it.
     */
    private Started start(Map<String, Object> start, String kind, String what) {
        String tag = newTag(kind);
        start.put("tag", tag);
        Request request = rpc("process.Process/Start", CONNECT_JSON, ConnectFrames.envelope(Json.write(start).getBytes()))
                .header("Keepalive-Ping-Interval", String.valueOf(KEEPALIVE_SECONDS)).build();
        Call call = streams.newCall(request);
        Response response = null;
        long pid = -1;
        IOException failure = null;
        InterruptWatch.Handle watch = InterruptWatch.watch(call::cancel);
        try (watch) {
            response = call.execute();
            requireStream(what, response); // refused: envd started nothing
            ConnectFrames.Frame first = ConnectFrames.next(response.body().source());
            if (first != null && !first.endOfStream() && first.message().path("event").has("start")) {
                pid = first.message().path("event").path("start").path("pid").asLong();
            }
        } catch (IOException e) {
            failure = e; // told apart below, once the watch is closed
        } catch (RuntimeException e) {
            if (response != null) {
                response.close();
            }
            throw e;
        }
        // the watch is closed: a cancel that came after it may not cut the stream any more; one that came before did
        boolean cancelled = watch.aborted() || Thread.currentThread().isInterrupted();
        if (pid > 0 && !cancelled) {
            return new Started(pid, call, response);
        }
        if (response != null) {
            response.close();
        }
        killInBackground(tag);
        if (cancelled) {
            throw cancelled(what);
        }
        if (failure == null) {
            throw new RunnerException.Unavailable("E2B sandbox " + sandboxId + ": expected the start event of the " + kind);
        }
        throw dropped(what + " (" + failure.getMessage() + ")");
    }

    /** A PTY shell: output read by its own thread; keys, resizes and the end are unary calls. */
    private final class Pty implements Terminal {
        private final long pid;
        private final Call call;
        private volatile boolean alive = true;

        Pty(long pid, Call call, Response response, TerminalListener listener) {
            this.pid = pid;
            this.call = call;
            Thread reader = new Thread(() -> read(response, listener), "e2b-pty-" + sandboxId + "-" + pid);
            reader.setDaemon(true);
            reader.start();
        }

        private void read(Response response, TerminalListener listener) {
            int exit = -1;
            try (response) {
                BufferedSource body = response.body().source();
                ConnectFrames.Frame frame;
                while ((frame = ConnectFrames.next(body)) != null && !frame.endOfStream()) {
                    JsonNode event = frame.message().path("event");
                    if (event.path("data").has("pty")) {
                        listener.onOutput(Base64.getDecoder().decode(event.path("data").get("pty").asText()));
                    } else if (event.has("end")) {
                        exit = event.get("end").path("exitCode").asInt(0);
                    }
                }
            } catch (IOException e) {
                // closed by us, or the connection dropped: the shell is over for this terminal either way
            } finally {
                alive = false;
                listener.onExit(exit);
            }
        }

        @Override
        public void write(byte[] input) {
            if (alive) {
                unary("process.Process/SendInput", Map.of("process", Map.of("pid", pid),
                        "input", Map.of("pty", Base64.getEncoder().encodeToString(input))), "typing into the terminal");
            }
        }

        @Override
        public void resize(TerminalSize size) {
            if (alive) {
                unary("process.Process/Update", Map.of("process", Map.of("pid", pid), "pty", Map.of("size", size(size))),
                        "resizing the terminal");
            }
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void close() {
            if (alive) {
                kill(pid);
            }
            call.cancel();
        }
    }

    /** Sends SIGKILL to {@code pid}; false when there is no such process. */
    public boolean kill(long pid) {
        try {
            unary("process.Process/SendSignal", Map.of("process", Map.of("pid", pid), "signal", "SIGNAL_SIGKILL"),
                    "ending a process");
            return true;
        } catch (RunnerException.NotFound e) {
            return false;
        } catch (RunnerException e) {
            return false; // the sandbox is gone, and the process with it
        }
    }

    /**
     * Sends SIGKILL to the process started with {@code tag}, without waiting for the answer (the caller may be a
     * cancelled task, whose thread cannot make calls); a failure is ignored: then there was no such process.
     */
    private void killInBackground(String tag) {
        Request request = rpc("process.Process/SendSignal", JSON, Json.write(Map.of("process", Map.of("tag", tag),
                "signal", "SIGNAL_SIGKILL")).getBytes()).build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                // no answer: the sandbox is gone, and the process with it
            }

            @Override
            public void onResponse(Call call, Response response) {
                response.close(); // not found: the process never started, or already ended
            }
        });
    }

    /** A tag no other process of the sandbox has, to select this one by before its pid is known. */
    private static String newTag(String kind) {
        return "runnerdesk-" + kind + "-" + UUID.randomUUID();
    }

    private RunnerException cancelled(String what) {
        return new RunnerException.Unavailable(what + " in E2B sandbox " + sandboxId + " was cancelled");
    }

    /** The sandbox's workspace files, through envd's filesystem service and {@code /files} ({@link EnvdFiles}). */
    EnvdFiles files() {
        return new EnvdFiles(this);
    }

    /** Whether envd answers {@code /health}; false when the sandbox is gone (502) or unreachable. */
    public boolean healthy() {
        Request request = headers(new Request.Builder().url(address.baseUrl() + "/health")).get().build();
        OkHttpClient quick = http.newBuilder().callTimeout(Duration.ofSeconds(5)).build();
        try (Response response = quick.newCall(request).execute()) {
            return response.isSuccessful();
        } catch (IOException e) {
            return false;
        }
    }

    private void unary(String method, Map<String, Object> message, String what) {
        call(method, message, what);
    }

    /** The largest answer of a unary call that is read; more is refused unread. */
    static final long MAX_ANSWER_BYTES = 16L * 1024 * 1024;

    /** A unary Connect call with JSON; its answer (the proto message as JSON), at most {@link #MAX_ANSWER_BYTES}. */
    JsonNode call(String method, Object message, String what) {
        Request request = rpc(method, JSON, Json.write(message).getBytes()).build();
        try (Response response = http.newCall(request).execute()) {
            okio.BufferedSource source = response.body().source();
            if (source.request(MAX_ANSWER_BYTES + 1)) { // a listing of a folder with millions of entries, say
                throw new RunnerException.TooLarge(what + " in E2B sandbox " + sandboxId + ": the answer is over "
                        + MAX_ANSWER_BYTES / (1024 * 1024) + " MiB (a folder with too many entries to list?)", MAX_ANSWER_BYTES);
            }
            String body = source.readUtf8();
            if (response.code() != 200) {
                throw E2bErrors.connectHttp(what + " in E2B sandbox " + sandboxId, response.code(), body);
            }
            return body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw dropped(what + " (" + e.getMessage() + ")");
        }
    }

    private void requireStream(String what, Response response) throws IOException {
        if (response.code() != 200) {
            throw E2bErrors.connectHttp(what + " in E2B sandbox " + sandboxId, response.code(), response.body().string());
        }
    }

    /** A stream or call that broke off: the sandbox is gone (health says so), or the network dropped it. */
    RunnerException dropped(String what) {
        if (!healthy()) {
            return new RunnerException.Unavailable("E2B sandbox " + sandboxId + " is gone (killed, or its timeout ran out)"
                    + " while " + what + " was open");
        }
        return new RunnerException.Unavailable("the connection to E2B sandbox " + sandboxId + " broke off during " + what
                + " (network); the sandbox is still up — try again");
    }

    Request.Builder rpc(String method, MediaType type, byte[] body) {
        return headers(new Request.Builder().url(address.baseUrl() + "/" + method))
                .header("Connect-Protocol-Version", "1")
                .post(RequestBody.create(body, type));
    }

    Request.Builder headers(Request.Builder builder) {
        accessToken.ifPresent(t -> builder.header("X-Access-Token", t));
        if (address.routedByHeaders()) {
            builder.header("E2b-Sandbox-Id", sandboxId).header("E2b-Sandbox-Port", String.valueOf(E2bConfig.ENVD_PORT));
        }
        return builder;
    }

    private static Map<String, Object> size(TerminalSize size) {
        return Map.of("cols", size.columns(), "rows", size.rows());
    }
}

