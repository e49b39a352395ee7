package dev.runnerdesk.server;

import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.store.IdempotentRequests;
import dev.runnerdesk.store.IdempotentRequests.Answer;
import dev.runnerdesk.store.IdempotentRequests.Claim;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Idempotency-Key} on the routes that act (create, start, exec, stop, terminate), as Stripe and the IETF draft
 * "The Idempotency-Key HTTP Header Field" have it: the same caller sending the same key within 24 hours gets the first
 * answer again (marked {@code Idempotent-Replayed: true}) and the action is not done a second time; the key sent with
 * another request is refused (400), and while the first request runs a second one is told so (409). A request
 * refused before it acted (a 4xx) leaves the key unused. Without the header nothing changes.
 */
final class Idempotency {
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_CHARS = 255;

    private final IdempotentRequests requests;
    private final Clock clock;

    Idempotency(IdempotentRequests requests, Clock clock) {
        this.requests = requests;
        this.clock = clock;
    }

    /**
     * Requests a server that stopped left unanswered get an answer saying their outcome is unknown, so a retry with
     * their key cannot do the action a second time. Call when the server starts, before it takes requests.
     */
    int settleInterrupted() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "outcome_unknown");
        error.put("message", "the gateway stopped while it handled the first request with this Idempotency-Key; whether "
                + "it acted is unknown, so it is not done again: check the runner's state and events");
        return requests.settleInterrupted(new Answer(503, "application/json",
                Json.write(Map.of("error", error)).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code handler} answering each key once. */
    RouteTable.Handler once(RouteTable.Handler handler) {
        return (call, service, path) -> {
            Optional<String> header = call.header(HEADER);
            if (header.isEmpty()) {
                handler.handle(call, service, path);
                return;
            }
            String key = check(header.get());
            String caller = call.principal.name();
            Claim claim = requests.claim(caller, key, fingerprint(call), clock.instant());
            if (claim instanceof Claim.Replay replay) {
                call.exchange.getResponseHeaders().set(REPLAYED, "true");
                call.bytes(replay.answer().status(), replay.answer().contentType(), replay.answer().body());
                return;
            }
            if (claim instanceof Claim.InUse) {
                throw new Conflict("a request with this Idempotency-Key is still being handled; send it again once that "
                        + "one is answered to get its answer");
            }
            if (claim instanceof Claim.Mismatch) {
                throw new InvalidRequest(HEADER, "this Idempotency-Key was used in the last 24 hours for another request "
                        + "(another method, path or body); use a new key for a new request");
            }
            run(call, caller, key, () -> handler.handle(call, service, path));
        };
    }

    private interface Action {
        void run() throws IOException;
    }

    private void run(HttpCall call, String caller, String key, Action action) throws IOException {
        // a whole answer is stored before it is sent (a stream once it ended, before the exchange closes); storing
        // twice is a no-op, so the finally below only matters for streams and for answers never sent
        call.recordAnswer(answer -> requests.complete(caller, key, answer));
        boolean released = false;
        try {
            action.run();
        } catch (RunnerException e) {
            if (!call.responded() && HttpCall.status(e) < 500) {
                // refused before anything was done: the key stays free for a corrected request
                requests.release(caller, key);
                released = true;
                throw e;
            }
            if (!call.responded()) {
                call.error(e);
            }
        } catch (RuntimeException e) {
            if (!call.responded()) {
                call.internalError(); // logged with its request id by the server
            }
            throw e;
        } finally {
            if (!released) {
                requests.complete(caller, key, call.recordedAnswer().orElseGet(Idempotency::notKept));
            }
        }
    }

    /** What a retry gets when the first answer was not kept: it was over the limit, or never sent (the client left). */
    private static Answer notKept() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "conflict");
        error.put("message", "the first request with this Idempotency-Key was handled, but its answer was not kept "
                + "(over " + HttpCall.MAX_RECORDED_BYTES / (1024 * 1024) + " MiB, or not sent); check the runner's "
                + "state and events");
        return new Answer(409, "application/json", Json.write(Map.of("error", error)).getBytes(StandardCharsets.UTF_8));
    }

    /** The key, checked: 1 to 255 visible ASCII characters, optionally in double quotes (a structured-field string). */
    static String check(String raw) {
        String key = raw.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS || !key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7F)) {
            throw new InvalidRequest(HEADER, HEADER + " must be 1 to " + MAX_KEY_CHARS
                    + " visible ASCII characters (a UUID is a good choice)");
        }
        return key;
    }

    /**
     * The request the key stands for: method, path, query and body (a retry sends the same bytes). The query counts:
     * {@code DELETE …/files?path=a} and {@code ?path=b} are two requests (a request without one keeps the fingerprint
     * it had before the query counted).
     */
    private static String fingerprint(HttpCall call) throws IOException {
        String query = call.exchange.getRequestURI().getRawQuery();
        return fingerprint(call.method(), query == null ? call.path() : call.path() + "?" + query, call.rawBody());
    }

    static String fingerprint(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
