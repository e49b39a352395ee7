package dev.runnerdesk.provider;

import dev.runnerdesk.core.ProfilePolicy;

import java.util.Optional;

/** What a provider needs to create a runner's sandbox. */
public record SandboxSpec(String runnerId, ProfilePolicy policy, int ttlSeconds, Optional<String> imageRef) {
}
