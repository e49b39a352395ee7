package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.SessionState;
import dev.runnerdesk.core.ToolProfile;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the gateway's JSON tolerantly: unknown fields ignored, optional ones may be missing, {@code status}
 * read as {@code state}, other id shapes accepted, timestamps as ISO-8601 or epoch seconds/milliseconds.
 * What cannot be read at all is "an invalid response", never a parser's trace.
 */
final class GatewayResponses {
    private GatewayResponses() {
    }

    static Runner runner(Map<String, Object> m) {
        String id = firstString(m, "runner_id", "id").orElseThrow(() -> missing("runner_id"));
        RunnerState state = state(firstString(m, "state", "status").orElse("ready"));
        ProviderType provider = provider(firstString(m, "provider_type", "provider").orElse("fake"));
        ToolProfile profile = profile(firstString(m, "tool_profile", "profile").orElse("locked"));
        int ttl = firstNumber(m, "ttl_seconds", "ttl").map(Number::intValue).orElse(0);
        Instant created = instant(m.get("created_at")).orElse(Instant.EPOCH);
        Instant expires = instant(m.get("expires_at")).orElse(created.plusSeconds(ttl));
        Optional<Session> active = Optional.empty();
        Object session = m.get("active_session");
        if (session instanceof Map<?, ?> s) {
            active = Optional.of(session(cast(s), id));
        } else if (session instanceof String sid && !sid.isBlank()) {
            active = Optional.of(new Session(sid, id, SessionState.ACTIVE, created, expires, Optional.empty(), Optional.empty()));
        }
        Optional<String> error = m.get("error") instanceof Map<?, ?> e ? Optional.ofNullable(str(e.get("message")))
                : Optional.ofNullable(str(m.get("error")));
        return new Runner(id, state, provider, profile, ttl, created, expires, firstString(m, "image_ref"), active, error);
    }

    /** A provider's {@code isolation} object (profile: text); profiles this version does not know and non-text values are left out. */
    static Map<ToolProfile, String> isolation(Object value) {
        Map<ToolProfile, String> out = new EnumMap<>(ToolProfile.class);
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof String text) {
                    try {
                        out.put(ToolProfile.fromWire(String.valueOf(k)), text.length() > 2000 ? text.substring(0, 2000) : text);
                    } catch (RunnerException.InvalidRequest unknown) {
                        // a profile of a newer gateway
                    }
                }
            });
        }
        return out;
    }

    static Session session(Map<String, Object> m, String runnerIdFallback) {
        String id = firstString(m, "session_id", "id").orElseThrow(() -> missing("session_id"));
        Instant started = instant(m.get("started_at")).orElse(Instant.EPOCH);
        return new Session(id, firstString(m, "runner_id").orElse(runnerIdFallback),
                SessionState.fromWire(firstString(m, "state", "status").orElse("active")), started,
                instant(m.get("expires_at")).orElse(started), instant(m.get("stopped_at")), firstString(m, "stop_reason"));
    }

    static ExecResult execResult(Map<String, Object> m) {
        return new ExecResult(firstString(m, "command_id", "id").orElse(""),
                firstNumber(m, "exit_code", "exitCode").map(Number::intValue).orElse(0),
                firstString(m, "stdout").orElse(""), firstString(m, "stderr").orElse(""),
                firstNumber(m, "duration_ms").map(Number::longValue).orElse(0L),
                Boolean.TRUE.equals(m.get("timed_out")), Boolean.TRUE.equals(m.get("truncated")),
                Boolean.TRUE.equals(m.get("oom")));
    }

    static AuditEvent event(Map<String, Object> m) {
        long seq = firstNumber(m, "seq", "sequence").map(Number::longValue).orElseThrow(() -> missing("seq"));
        Map<String, Object> data = m.get("data") instanceof Map<?, ?> d ? cast(d) : Map.of();
        return new AuditEvent(seq, firstString(m, "event_type", "type").orElse("unknown"),
                instant(m.get("timestamp")).orElse(Instant.EPOCH), firstString(m, "runner_id"), firstString(m, "session_id"),
                firstString(m, "actor").orElse("unknown"), data, firstString(m, "prev_hash").orElse(""),
                firstString(m, "hash").orElse(""));
    }

    static OutputChunk output(Map<String, Object> m) {
        return new OutputChunk(firstString(m, "runner_id").orElse(""), firstString(m, "session_id").orElse(null),
                firstString(m, "command_id").orElse(""),
                "stderr".equals(m.get("stream")) ? OutputListener.Stream.STDERR : OutputListener.Stream.STDOUT,
                firstString(m, "data").orElse(""));
    }

    static EventPage eventPage(Map<String, Object> m) {
        return eventPage(m, Integer.MAX_VALUE);
    }

    /** The page, holding no more than the {@code limit} events asked for, whatever the gateway sent. */
    static EventPage eventPage(Map<String, Object> m, int limit) {
        List<AuditEvent> events = new ArrayList<>();
        for (Map<String, Object> e : list(m, "events")) {
            if (events.size() == limit) {
                break;
            }
            events.add(event(e));
        }
        return new EventPage(events, firstNumber(m, "total").map(Number::longValue).orElse((long) events.size()));
    }

    /** Where a runner page's runners may be: ours and the seed's {@code runners}, other gateways' {@code items}, {@code data}. */
    static final java.util.Set<String> RUNNER_LISTS = java.util.Set.of("runners", "items", "data");

    static RunnerPage runnerPage(Map<String, Object> m, int limit, int offset) {
        List<Runner> runners = new ArrayList<>();
        String key = m.containsKey("runners") ? "runners" : m.containsKey("items") ? "items" : "data";
        for (Map<String, Object> r : list(m, key)) {
            if (runners.size() == limit) {
                break; // no more rows than asked for, whatever the gateway sent
            }
            runners.add(runner(r));
        }
        return new RunnerPage(runners, firstNumber(m, "total").map(Number::longValue).orElse((long) runners.size()),
                firstNumber(m, "limit").map(Number::intValue).orElse(limit),
                firstNumber(m, "offset").map(Number::intValue).orElse(offset));
    }

    /**
     * The gateway's providers, those this version knows. Whatever the gateway says of a provider's terminal, this
     * client has no terminal route to reach a shell through (its openTerminal answers Unavailable), so none is
     * reported: callers run commands with exec.
     */
    static List<ProviderInfo> providers(Map<String, Object> body) {
        List<ProviderInfo> providers = new ArrayList<>();
        for (Map<String, Object> m : items(body, "providers")) {
            ProviderType type;
            try {
                type = ProviderType.fromWire(String.valueOf(m.get("provider_type")));
            } catch (RunnerException.InvalidRequest unknown) {
                continue; // a provider this version cannot use
            }
            boolean available = !Boolean.FALSE.equals(m.get("available"));
            providers.add(available ? ProviderInfo.available(type, false).withIsolation(isolation(m.get("isolation")))
                    : ProviderInfo.unavailable(type, firstString(m, "unavailable_reason").orElse("the gateway says it is unavailable")));
        }
        return providers;
    }

    static List<Member> members(Map<String, Object> body) {
        List<Member> members = new ArrayList<>();
        for (Map<String, Object> m : items(body, "members")) {
            members.add(new Member(firstString(m, "name").orElse("?"), role(m.get("role")),
                    firstString(m, "kind").orElse(Member.API_KEY), firstString(m, "fingerprint")));
        }
        return members;
    }

    static Role role(Object value) {
        String s = str(value);
        if (s == null) {
            return Role.VIEWER;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "admin", "owner" -> Role.ADMIN;
            case "operator", "member", "developer" -> Role.OPERATOR;
            case "auditor" -> Role.AUDITOR;
            default -> Role.VIEWER;
        };
    }

    static RunnerState state(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "provisioning", "pending", "creating", "starting" -> RunnerState.PROVISIONING;
            case "ready", "idle", "available" -> RunnerState.READY;
            case "running", "active", "busy" -> RunnerState.RUNNING;
            case "terminated", "stopped", "killed", "deleted", "destroyed" -> RunnerState.TERMINATED;
            case "failed", "error" -> RunnerState.FAILED;
            case "expired", "timed_out", "timeout" -> RunnerState.EXPIRED;
            default -> throw GatewayHttp.invalidResponse("a runner state \"" + value + "\" this RunnerDesk does not know");
        };
    }

    private static ProviderType provider(String value) {
        try {
            return ProviderType.fromWire(value);
        } catch (RunnerException.InvalidRequest e) {
            throw GatewayHttp.invalidResponse("a provider \"" + value + "\" this RunnerDesk does not know");
        }
    }

    private static ToolProfile profile(String value) {
        try {
            return ToolProfile.fromWire(value);
        } catch (RunnerException.InvalidRequest e) {
            throw GatewayHttp.invalidResponse("a tool profile \"" + value + "\" this RunnerDesk does not know");
        }
    }

    static Optional<Instant> instant(Object value) {
        if (value instanceof Number n) {
            long v = n.longValue();
            return Optional.of(v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v));
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(Instant.parse(s));
            } catch (DateTimeParseException e) {
                try {
                    // naive timestamps from Python gateways are UTC
                    return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException again) {
                    throw GatewayHttp.invalidResponse("a timestamp \"" + s + "\" that is not ISO-8601");
                }
            }
        }
        return Optional.empty();
    }

    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> items)) {
            throw GatewayHttp.invalidResponse(key + " is not a list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> map)) {
                throw GatewayHttp.invalidResponse(key + " holds something other than objects");
            }
            out.add(cast(map));
        }
        return out;
    }

    /** The objects in a list field, tolerantly: a missing field or an item that is not an object is skipped. */
    static List<Map<String, Object>> items(Map<String, Object> body, String field) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (body.get(field) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> raw) {
                    items.add(cast(raw));
                }
            }
        }
        return items;
    }

    static Optional<String> firstString(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            Object v = m.get(k);
            if (v instanceof String s) {
                return Optional.of(s);
            }
            if (v instanceof Number n) {
                return Optional.of(n.toString());
            }
        }
        return Optional.empty();
    }

    private static Optional<Number> firstNumber(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            Object v = m.get(k);
            if (v instanceof Number n) {
                return Optional.of(n);
            }
            if (v instanceof String s) {
                try {
                    return Optional.of(Long.parseLong(s.trim()));
                } catch (NumberFormatException ignored) {
                    // not a number; try the next name
                }
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String str(Object o) {
        return o instanceof String s ? s : null;
    }

    private static RunnerException missing(String field) {
        return GatewayHttp.invalidResponse("no " + field);
    }
}
