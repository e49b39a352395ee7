package dev.runnerdesk.core;

/** A live event subscription; closing it stops delivery. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
