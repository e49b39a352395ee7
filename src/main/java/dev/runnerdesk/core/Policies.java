package dev.runnerdesk.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Every policy the service enforces: one {@link ProfilePolicy} per tool profile, and the PII scanner's actions. */
public record Policies(Map<ToolProfile, ProfilePolicy> profiles, PiiSettings pii) {
    public Policies {
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(pii, "pii");
        EnumMap<ToolProfile, ProfilePolicy> copy = new EnumMap<>(ToolProfile.class);
        copy.putAll(profiles);
        for (ToolProfile profile : ToolProfile.values()) {
            if (!copy.containsKey(profile)) {
                throw new RunnerException.InvalidRequest("profiles",
                        "policies must define every tool profile; " + profile.wireName() + " is missing");
            }
        }
        profiles = Map.copyOf(copy);
    }

    public Policies(Map<ToolProfile, ProfilePolicy> profiles) {
        this(profiles, PiiSettings.defaults());
    }

    public Policies withPii(PiiSettings settings) {
        return new Policies(profiles, settings);
    }

    public ProfilePolicy profile(ToolProfile profile) {
        return profiles.get(profile);
    }
}
