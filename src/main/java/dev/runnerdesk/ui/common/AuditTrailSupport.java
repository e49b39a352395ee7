package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.RunnerException;

/** What the views that show the signed audit trail (the timeline's badge, Settings → Audit) say alike. */
public final class AuditTrailSupport {
    /** Said where a backend keeps no signed trail. */
    public static final String NONE_HERE = "this gateway has no signed audit trail: its events can be read, "
            + "but there are no signed checkpoints to verify them against or to export";

    private AuditTrailSupport() {
    }

    /**
     * Whether a failed audit call means the backend has no signed trail at all (a gateway without the audit
     * endpoints answers 404, which the gateway client turns into Unavailable with the NotFound as its cause),
     * rather than that it is offline.
     */
    public static boolean noSignedTrail(Throwable e) {
        return e instanceof RunnerException.Unavailable && e.getCause() instanceof RunnerException.NotFound;
    }
}
