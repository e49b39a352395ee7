package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditExport;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.wire.AuditJson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The gateway client's audit-trail calls (RunnerDesk's serve has them; a Curate-Me gateway does not, yet). */
final class GatewayAudit {
    static final String AUDIT = "/gateway/admin/audit";
    /** How long a gateway may take to verify its whole trail (a million events take seconds). */
    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(10);

    private final GatewayHttp http;

    GatewayAudit(GatewayHttp http) {
        this.http = http;
    }

    AuditStatus status() {
        return AuditJson.status(auditGet("/status", Map.of()));
    }

    List<AuditCheckpoint> checkpoints(long afterNumber, int limit) {
        Map<String, Object> body = auditGet("/checkpoints", Map.of("after", Long.toString(afterNumber),
                "limit", Integer.toString(limit)));
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        for (Map<String, Object> item : GatewayResponses.items(body, "checkpoints")) {
            checkpoints.add(readAudit(() -> AuditCheckpoint.fromJson(item)));
        }
        return checkpoints;
    }

    List<AuditEvent> events(long afterSeq, int limit) {
        Map<String, Object> body = auditGet("/events", Map.of("after", Long.toString(afterSeq),
                "limit", Integer.toString(limit)));
        List<AuditEvent> events = new ArrayList<>();
        for (Map<String, Object> item : GatewayResponses.items(body, "events")) {
            events.add(readAudit(() -> AuditExport.event(item)));
        }
        return events;
    }

    ChainVerification verify(long fromSeq, long toSeq) {
        Map<String, String> query = new HashMap<>();
        query.put("from", Long.toString(fromSeq));
        if (toSeq != Long.MAX_VALUE) {
            query.put("to", Long.toString(toSeq));
        }
        // the gateway checks the whole trail before it answers: a million events take seconds, not the usual call time
        try {
            return AuditJson.verification(http.send(http.request(http.url(AUDIT + "/verify", query)).get().build(), true,
                    GatewayHttp.NotFoundMeans.MISSING_ID, VERIFY_TIMEOUT));
        } catch (RunnerException.NotFound e) {
            throw noAudit(e);
        }
    }

    private Map<String, Object> auditGet(String path, Map<String, String> query) {
        try {
            return http.get(AUDIT + path, query, GatewayHttp.NotFoundMeans.MISSING_ID);
        } catch (RunnerException.NotFound e) {
            throw noAudit(e);
        }
    }

    /** A gateway without the audit endpoints (a Curate-Me gateway today; RunnerDesk's own serve has them). */
    private RunnerException noAudit(RunnerException.NotFound e) {
        return new RunnerException.Unavailable("this gateway has no signed audit trail (no " + AUDIT
                + "); its events can be read but not verified against checkpoints", e);
    }

    private static <T> T readAudit(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new RunnerException.Unavailable("the gateway's audit answer is not readable: " + e.getMessage(), e);
        }
    }
}
