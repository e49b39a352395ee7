package dev.runnerdesk.core;

import java.util.Objects;
import java.util.Optional;

/** What {@link RunnerService#create} needs. Ranges are checked by the service, not here. */
public record CreateRunnerRequest(ProviderType providerType, ToolProfile toolProfile, int ttlSeconds,
                                  Optional<String> imageRef, Optional<String> idempotencyKey) {
    /** {@link #TTL}'s bounds as constants, for texts that must be constant (command-line help); checks ask {@link #TTL}. */
    public static final int MIN_TTL_SECONDS = 60;
    public static final int MAX_TTL_SECONDS = 86_400;
    /** How long a runner may live; a profile's maximum TTL and a session's override lie in it too. */
    public static final LimitRange TTL = new LimitRange("ttl_seconds", MIN_TTL_SECONDS, MAX_TTL_SECONDS, "seconds");
    public static final int DEFAULT_TTL_SECONDS = 3_600;
    /** Characters of {@code image_ref}. */
    public static final int MAX_IMAGE_REF_LENGTH = 512;

    public CreateRunnerRequest {
        Objects.requireNonNull(providerType, "providerType");
        Objects.requireNonNull(toolProfile, "toolProfile");
        Objects.requireNonNull(imageRef, "imageRef");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    public CreateRunnerRequest(ProviderType providerType, ToolProfile toolProfile, int ttlSeconds, Optional<String> imageRef) {
        this(providerType, toolProfile, ttlSeconds, imageRef, Optional.empty());
    }

    /**
     * This request sent with {@code key}: a gateway that honours {@code Idempotency-Key} creates at most one runner
     * for all the sends of one key, so a deliberate retry after an unknown outcome cannot create a second.
     */
    public CreateRunnerRequest withIdempotencyKey(String key) {
        return new CreateRunnerRequest(providerType, toolProfile, ttlSeconds, imageRef, Optional.of(key));
    }

    public CreateRunnerRequest(ProviderType providerType, ToolProfile toolProfile, int ttlSeconds) {
        this(providerType, toolProfile, ttlSeconds, Optional.empty());
    }
}
