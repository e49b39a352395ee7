package dev.runnerdesk.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The action for each {@link PiiDetector}. A detector missing from the map gets {@link PiiAction#REDACT}, so a
 * policy stored before a detector existed still protects against it; {@link #actions()} always names every detector.
 */
public record PiiSettings(Map<PiiDetector, PiiAction> actions) {
    public PiiSettings {
        Objects.requireNonNull(actions, "actions");
        EnumMap<PiiDetector, PiiAction> complete = new EnumMap<>(PiiDetector.class);
        for (PiiDetector detector : PiiDetector.values()) {
            complete.put(detector, PiiAction.REDACT);
        }
        actions.forEach((detector, action) -> complete.put(
                Objects.requireNonNull(detector, "detector"), Objects.requireNonNull(action, "action of " + detector)));
        actions = Collections.unmodifiableMap(complete);
    }

    /** Every detector on {@code redact}: what a new data directory starts with. */
    public static PiiSettings defaults() {
        return new PiiSettings(Map.of());
    }

    public PiiAction action(PiiDetector detector) {
        return actions.get(Objects.requireNonNull(detector, "detector"));
    }

    /** A copy with one detector's action changed, for the Policies editor. */
    public PiiSettings with(PiiDetector detector, PiiAction action) {
        EnumMap<PiiDetector, PiiAction> changed = new EnumMap<>(actions);
        changed.put(detector, action);
        return new PiiSettings(changed);
    }
}
