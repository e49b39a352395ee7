package dev.runnerdesk.core;

/** A live event subscription; closing it stops delivery. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();

    /**
     * How the events reach this subscription, in plain words, when not as they happen (e.g. a gateway without a stream
     * route is polled); empty when they are streamed.
     */
    default String note() {
        return "";
    }
}
