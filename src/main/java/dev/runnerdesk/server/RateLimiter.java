package dev.runnerdesk.server;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per key (an API key, or a client address): {@code perMinute} requests a minute, refilled continuously. */
final class RateLimiter {
    /** Buckets kept before full ones (whose keys have been quiet for a minute) are dropped: one per key costs memory. */
    private static final int PRUNE_ABOVE = 10_000;

    /** The outcome of one request's check, with what the {@code RateLimit-*} headers say. */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastPrune;

    RateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    boolean enabled() {
        return perMinute > 0;
    }

    Decision check(String key) {
        long now = clock.millis();
        if (buckets.size() > PRUNE_ABOVE && now - lastPrune > 1000) {
            lastPrune = now;
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return b.tokens + (now - b.at) * (perMinute / 60_000.0) >= perMinute;
                }
            });
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
        synchronized (bucket) {
            double perMilli = perMinute / 60_000.0;
            long at = clock.millis();
            bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.at) * perMilli);
            bucket.at = at;
            long reset = (long) Math.ceil((perMinute - bucket.tokens) / perMilli / 1000.0);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return new Decision(true, perMinute, (int) bucket.tokens, reset, 0);
            }
            long retry = Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perMilli / 1000.0));
            return new Decision(false, perMinute, 0, reset, retry);
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
