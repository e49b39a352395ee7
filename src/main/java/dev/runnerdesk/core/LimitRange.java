package dev.runnerdesk.core;

import java.util.Locale;
import java.util.Optional;

/** The allowed range of one numeric policy field; the store, the API and the Policies view all check through it. */
public record LimitRange(String field, long min, long max, String unit) {
    /** What is wrong with {@code value}, in words a person can act on; empty when it is in range. */
    public Optional<String> problem(long value) {
        if (value < min || value > max) {
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
