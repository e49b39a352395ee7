package dev.runnerdesk.core;

import java.util.Locale;
import java.util.Optional;

/**
 * The allowed range of one numeric field, kept once here: the service checks through it, and the dialogs, the Policies
 * view and the help texts say it with its words, so a rule and its message never drift apart.
 */
public record LimitRange(String field, long min, long max, String unit) {
    /** The same range for another field (a policy's maximum of this value, an override of it). */
    public LimitRange named(String otherField) {
        return new LimitRange(otherField, min, max, unit);
    }

    /** This range ending at {@code newMax} instead (where a profile's own maximum narrows it). */
    public LimitRange upTo(long newMax) {
        return new LimitRange(field, min, Math.min(max, newMax), unit);
    }

    public boolean contains(long value) {
        return value >= min && value <= max;
    }

    /** The bounds for a hint or a help text: "60–86,400". */
    public String span() {
        return String.format(Locale.ROOT, "%,d–%,d", min, max);
    }

    /** What is wrong with {@code value}, in words a person can act on; empty when it is in range. */
    public Optional<String> problem(long value) {
        if (!contains(value)) {
            return Optional.of(String.format(Locale.ROOT, "between %,d and %,d %s", min, max, unit));
        }
        return Optional.empty();
    }

    /** Throws {@link RunnerException.InvalidRequest} naming {@code prefix + field} when out of range. */
    public void check(String prefix, long value) {
        problem(value).ifPresent(p -> {
            throw new RunnerException.InvalidRequest(prefix + field, prefix + field + " must be " + p + ", got " + value);
        });
    }
}
