package dev.runnerdesk.server;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.IdFormat;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WireNames;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a request says, read strictly: each field typed and bounded, an error naming the field and what it got. */
final class RequestFields {
    private RequestFields() {
    }

    /** The session a call names, in the query (as the seed's curl does) or the body. */
    static String sessionId(HttpCall call, Map<String, Object> body) {
        return call.query("session_id").or(() -> string(body, "session_id")).orElse(null);
    }

    /** exec's body: {@code argv}, a list of strings, and {@code timeout_seconds}. */
    static ExecRequest execRequest(Map<String, Object> body) {
        if (!(body.get("argv") instanceof List<?> list)) {
            throw new InvalidRequest("argv", "argv must be a list of strings, e.g. [\"echo\", \"hello\"], got "
                    + describe(body.get("argv")));
        }
        List<String> argv = new ArrayList<>();
        for (Object a : list) {
            if (!(a instanceof String arg)) {
                throw new InvalidRequest("argv", "argv[" + argv.size() + "] must be a string, got " + describe(a));
            }
            argv.add(arg);
        }
        return new ExecRequest(argv, integer(body, "timeout_seconds").orElse(ExecRequest.DEFAULT_TIMEOUT_SECONDS));
    }

    /** {@code ?limit=&before=&types=a,b&session_id=&actor=&since=&until=&q=} (times in ISO-8601). */
    static EventQuery eventQuery(HttpCall call, Optional<String> runnerId) {
        Set<String> types = call.query("types").map(t -> Arrays.stream(t.split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet())).orElse(Set.of());
        Optional<String> sessionId = call.query("session_id").map(id -> IdFormat.check("session_id", id));
        return new EventQuery(runnerId, call.queryInt("limit").orElse(EventQuery.DEFAULT_LIMIT), call.queryLong("before"), types,
                sessionId, call.query("actor"), instant(call, "since"), instant(call, "until"), call.query("q"));
    }

    static Optional<Instant> instant(HttpCall call, String name) {
        return call.query(name).map(v -> {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new InvalidRequest(name, name + " must be an ISO-8601 time such as 2026-11-26T09:00:00Z, got " + WireNames.quote(v));
            }
        });
    }

    static long resumeFrom(HttpCall call) {
        Optional<String> header = call.header("Last-Event-ID");
        String name = header.isPresent() ? "Last-Event-ID" : "after_seq";
        // resuming: everything after what the client saw
        return header.or(() -> call.query("after_seq")).map(v -> Math.max(0, HttpCall.parseLong(name, v)))
                .orElse(RunnerService.ONLY_NEW);
    }

    static CreateRunnerRequest createRequest(Map<String, Object> body) {
        ProviderType provider = ProviderType.fromWire(string(body, "provider_type").orElse(ProviderType.FAKE.wireName()));
        ToolProfile profile = ToolProfile.fromWire(string(body, "tool_profile").orElse(ToolProfile.LOCKED.wireName()));
        int ttl = integer(body, "ttl_seconds").orElse(CreateRunnerRequest.DEFAULT_TTL_SECONDS);
        return new CreateRunnerRequest(provider, profile, ttl, string(body, "image_ref"));
    }

    /** A body field that must be a string when present ({@code null} counts as absent). */
    static Optional<String> string(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null || v instanceof String) {
            return Optional.ofNullable((String) v);
        }
        throw new InvalidRequest(field, field + " must be a string, got " + describe(v));
    }

    /** A body field that must be a whole number in int range when present ({@code null} counts as absent). */
    static Optional<Integer> integer(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
            return Optional.of(n.intValue());
        }
        throw new InvalidRequest(field, field + " must be a whole number from " + Integer.MIN_VALUE + " to "
                + Integer.MAX_VALUE + ", got " + describe(v));
    }

    /** A JSON value as an error message names it, never longer than a short quote. */
    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        } else if (v instanceof String || v instanceof Number) {
            return WireNames.quote(v.toString());
        } else if (v instanceof List<?>) {
            return "an array";
        } else if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return v.toString();
    }
}
