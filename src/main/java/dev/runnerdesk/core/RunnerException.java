package dev.runnerdesk.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every failure of a {@link RunnerService} call. The message is written for the person who sees it:
 * it names the field, id or state involved and, where there is one, what to do.
 * {@link #code()} is the stable machine name used in the gateway's error body.
 */
public abstract sealed class RunnerException extends RuntimeException
        permits RunnerException.NotFound, RunnerException.BetaNotEnabled, RunnerException.Unauthorized,
        RunnerException.Forbidden, RunnerException.PolicyDenied, RunnerException.RateLimited,
        RunnerException.InvalidRequest, RunnerException.Conflict, RunnerException.Unavailable,
        RunnerException.BadAnswer, RunnerException.TooLarge {

    private final String code;

    RunnerException(String code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** An unknown runner, session or other id. */
    public static final class NotFound extends RunnerException {
        public NotFound(String message) {
            super("not_found", message, null);
        }
    }

    /** The account has no access to managed runners (the gateway answers 404 on every runner route). */
    public static final class BetaNotEnabled extends RunnerException {
        public BetaNotEnabled(String message) {
            super("beta_not_enabled", message, null);
        }
    }

    /** No API key, or one the gateway does not know. */
    public static final class Unauthorized extends RunnerException {
        public Unauthorized(String message) {
            super("unauthorized", message, null);
        }
    }

    /** The caller's role does not allow the call. */
    public static final class Forbidden extends RunnerException {
        public Forbidden(String message) {
            super("forbidden", message, null);
        }
    }

    /** A policy (tool profile, PII scanner, egress) refused the call. */
    public static final class PolicyDenied extends RunnerException {
        public PolicyDenied(String message) {
            super("policy_denied", message, null);
        }
    }

    /** Too many calls; try again after {@link #retryAfter()}. */
    public static final class RateLimited extends RunnerException {
        private final Duration retryAfter;

        public RateLimited(String message, Duration retryAfter) {
            super("rate_limited", message, null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** A field of the request is malformed or out of range; {@link #field()} names it where known. */
    public static final class InvalidRequest extends RunnerException {
        private final String field;

        public InvalidRequest(String field, String message) {
            super("invalid_request", message, null);
            this.field = field;
        }

        public Optional<String> field() {
            return Optional.ofNullable(field);
        }
    }

    /** The runner or session is in a state that does not allow the call. */
    public static final class Conflict extends RunnerException {
        public Conflict(String message) {
            super("conflict", message, null);
        }
    }

    /** What was sent is over a limit (an upload over the profile's size limit); the gateway answers 413. */
    public static final class TooLarge extends RunnerException {
        private final long limitBytes;

        public TooLarge(String message, long limitBytes) {
            super("too_large", message, null);
            this.limitBytes = limitBytes;
        }

        public long limitBytes() {
            return limitBytes;
        }
    }

    /** The backend or provider cannot serve the call now (down, unreachable, misconfigured). */
    public static final class Unavailable extends RunnerException {
        public Unavailable(String message) {
            super("unavailable", message, null);
        }

        public Unavailable(String message, Throwable cause) {
            super("unavailable", message, cause);
        }
    }

    /**
     * The backend answered, but not in a form this client can read (malformed, cut off, a field missing or of a kind
     * it does not know) — it is reachable, so this is not {@link Unavailable}. For a call that acts (create, start,
     * exec, stop, terminate) whose answer was unreadable or did not come after the request went out,
     * {@link #mayHaveActed()}: whether it was done is unknown, and the message says what to check before trying again.
     */
    public static final class BadAnswer extends RunnerException {
        private final boolean mayHaveActed;

        public BadAnswer(String message, boolean mayHaveActed, Throwable cause) {
            super("bad_answer", message, cause);
            this.mayHaveActed = mayHaveActed;
        }

        public BadAnswer(String message) {
            this(message, false, null);
        }

        public boolean mayHaveActed() {
            return mayHaveActed;
        }
    }
}
