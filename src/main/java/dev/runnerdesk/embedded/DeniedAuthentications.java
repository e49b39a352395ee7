package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Failed authentications as {@code auth.denied} events, coalesced so that nobody without a key can grow the audit
 * trail. Per client address and reason, the first denial is recorded at once (so one wrong key shows up right away);
 * the ones after it within {@link #INTERVAL} are only counted, and recorded as one event with their {@code count}
 * when the interval ends or the runtime closes. A steady flood from one address costs one event an interval.
 */
final class DeniedAuthentications {
    static final Duration INTERVAL = Duration.ofSeconds(60);
    /** Characters of the requested path (and any other string) kept in an event. */
    static final int MAX_PATH_CHARS = 256;
    /** Sources followed at once; denials from further addresses are counted together under {@link #OTHER_ADDRESSES}. */
    static final int MAX_SOURCES = 10_000;
    static final String OTHER_ADDRESSES = "other";
    private static final Principal ANONYMOUS = new Principal("anonymous", Role.VIEWER);

    private record Source(String address, String reason) {
    }

    /** An interval of one source: when it ends, and the denials since its first that are not recorded yet. */
    private static final class Window {
        final Instant end;
        long pending;
        String path;
        Optional<String> keyFingerprint = Optional.empty();

        Window(Instant end) {
            this.end = end;
        }
    }

    private final EmbeddedRuntime rt;
    private final Map<Source, Window> windows = new HashMap<>();

    DeniedAuthentications(EmbeddedRuntime runtime) {
        this.rt = runtime;
    }

    synchronized void record(String address, String reason, Optional<String> keyFingerprint, String path) {
        Instant now = rt.now();
        Source source = new Source(address, reason);
        if (!windows.containsKey(source) && windows.size() >= MAX_SOURCES) {
            source = new Source(OTHER_ADDRESSES, reason);
        }
        Window window = windows.get(source);
        if (window != null && !now.isBefore(window.end)) {
            window = end(source, window, now);
        }
        if (window == null) {
            windows.put(source, new Window(now.plus(INTERVAL)));
            write(source, 1, path, keyFingerprint);
        } else {
            window.pending++;
            window.path = path;
            window.keyFingerprint = keyFingerprint;
        }
    }

    /** Records the counts of the intervals that have ended. */
    synchronized void flushEnded() {
        Instant now = rt.now();
        for (Map.Entry<Source, Window> e : List.copyOf(windows.entrySet())) {
            if (!now.isBefore(e.getValue().end)) {
                end(e.getKey(), e.getValue(), now);
            }
        }
    }

    /** Records every count not recorded yet; for shutdown. */
    synchronized void flushAll() {
        windows.forEach((source, w) -> {
            if (w.pending > 0) {
                write(source, w.pending, w.path, w.keyFingerprint);
            }
        });
        windows.clear();
    }

    /** Ends an interval; while denials go on, the next one starts counting at once instead of recording its first. */
    private Window end(Source source, Window window, Instant now) {
        if (window.pending == 0) {
            windows.remove(source);
            return null;
        }
        write(source, window.pending, window.path, window.keyFingerprint);
        Window next = new Window(now.plus(INTERVAL));
        windows.put(source, next);
        return next;
    }

    private void write(Source source, long count, String path, Optional<String> keyFingerprint) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", source.reason());
        data.put("client_address", source.address());
        data.put("path", path);
        keyFingerprint.ifPresent(f -> data.put("key_fingerprint", f));
        data.put("count", count);
        // cut after the PII scan, so a cut never leaves part of an address or number it would not recognise
        rt.write(tx -> tx.event(EventTypes.AUTH_DENIED, null, null, ANONYMOUS, data, MAX_PATH_CHARS));
    }
}
