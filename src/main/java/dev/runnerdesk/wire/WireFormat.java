package dev.runnerdesk.wire;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.Session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gateway API's JSON shapes (DESIGN §4) of the core records, as maps ready for {@link Json}. */
public final class WireFormat {
    private WireFormat() {
    }

    public static Map<String, Object> runner(Runner r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runner_id", r.runnerId());
        m.put("state", r.state().wireName());
        m.put("provider_type", r.providerType().wireName());
        m.put("tool_profile", r.toolProfile().wireName());
        m.put("ttl_seconds", r.ttlSeconds());
        m.put("created_at", r.createdAt().toString());
        m.put("expires_at", r.expiresAt().toString());
        r.imageRef().ifPresent(v -> m.put("image_ref", v));
        m.put("active_session", r.activeSession().map(WireFormat::session).orElse(null));
        r.error().ifPresent(v -> m.put("error", v));
        return m;
    }

    public static Map<String, Object> session(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", s.sessionId());
        m.put("runner_id", s.runnerId());
        m.put("state", s.state().wireName());
        m.put("started_at", s.startedAt().toString());
        m.put("expires_at", s.expiresAt().toString());
        s.stoppedAt().ifPresent(v -> m.put("stopped_at", v.toString()));
        s.stopReason().ifPresent(v -> m.put("stop_reason", v));
        return m;
    }

    public static Map<String, Object> execResult(ExecResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command_id", r.commandId());
        m.put("exit_code", r.exitCode());
        m.put("stdout", r.stdout());
        m.put("stderr", r.stderr());
        m.put("duration_ms", r.durationMs());
        m.put("timed_out", r.timedOut());
        m.put("truncated", r.truncated());
        m.put("oom", r.oom());
        return m;
    }

    public static Map<String, Object> event(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("event_type", e.eventType());
        m.put("timestamp", e.timestamp().toString());
        e.runnerId().ifPresent(v -> m.put("runner_id", v));
        e.sessionId().ifPresent(v -> m.put("session_id", v));
        m.put("actor", e.actor());
        m.put("data", e.data());
        m.put("prev_hash", e.prevHash());
        m.put("hash", e.hash());
        return m;
    }

    public static Map<String, Object> runnerPage(RunnerPage page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runners", page.runners().stream().map(WireFormat::runner).toList());
        m.put("total", page.total());
        m.put("limit", page.limit());
        m.put("offset", page.offset());
        return m;
    }

    /** The events response; {@code runnerId} is null for the all-runners timeline. */
    public static Map<String, Object> eventPage(String runnerId, EventPage page) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (runnerId != null) {
            m.put("runner_id", runnerId);
        }
        List<Map<String, Object>> events = page.events().stream().map(WireFormat::event).toList();
        m.put("events", events);
        m.put("total", page.total());
        return m;
    }
}
