package dev.runnerdesk.gateway;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Subscription;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import okio.Okio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A live subscription over the gateway's Server-Sent Events stream: reconnects with backoff and
 * {@code Last-Event-ID}, so a dropped connection loses nothing; falls back to polling {@code /events}
 * when the gateway has no stream route.
 */
final class GatewaySubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger(GatewaySubscription.class.getName());
    static final long POLL_MILLIS = 2_000;
    /** The longest wait between polls: reached by doubling from {@link #POLL_MILLIS} while nothing new comes. */
    static final long MAX_POLL_MILLIS = 16_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final int POLL_PAGE = 1000;

    /** Where a subscription without a stream reads what is new. */
    interface Polling {
        /** The newest seq there is now: the baseline of a subscription to only new events. */
        long newest();

        /** The events after {@code seq}, oldest first. */
        List<AuditEvent> after(long seq);
    }

    /** Polling through one events page ({@code pages}: one runner's, or all runners'), paged back to the seq known. */
    static Polling paged(Optional<String> runnerId, Function<EventQuery, EventPage> pages) {
        return new Polling() {
            @Override
            public long newest() {
                List<AuditEvent> newest = pages.apply(new EventQuery(runnerId, 1, Optional.empty())).events();
                return newest.isEmpty() ? 0 : newest.get(0).seq();
            }

            @Override
            public List<AuditEvent> after(long seq) {
                return newerThan(pages, runnerId, seq);
            }
        };
    }

    /** The events of {@code runnerId} (all when empty) after {@code seq}, oldest first, read page by page newest first. */
    static List<AuditEvent> newerThan(Function<EventQuery, EventPage> pages, Optional<String> runnerId, long seq) {
        List<AuditEvent> fresh = new ArrayList<>();
        Optional<Long> before = Optional.empty();
        while (true) {
            EventPage page = pages.apply(new EventQuery(runnerId, POLL_PAGE, before));
            for (AuditEvent e : page.events()) {
                if (e.seq() <= seq) {
                    Collections.reverse(fresh);
                    return fresh;
                }
                fresh.add(e);
            }
            if (page.events().size() < POLL_PAGE) {
                Collections.reverse(fresh);
                return fresh;
            }
            before = Optional.of(page.events().get(page.events().size() - 1).seq());
        }
    }

    /** The wait before the next poll: the shortest after one that brought events, else twice the last, up to the longest. */
    static long nextPollMillis(long last, boolean broughtEvents) {
        return broughtEvents ? POLL_MILLIS : Math.min(MAX_POLL_MILLIS, last * 2);
    }

    private final GatewayHttp http;
    private final OkHttpClient streamClient;
    private final Optional<String> runnerId;
    private final EventListener listener;
    private final Polling polling;
    private final ScheduledExecutorService scheduler;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile EventSource source;
    private volatile ScheduledFuture<?> pending;
    private volatile RunnerException startFailure;
    /** No stream route: what is new is polled for. */
    private volatile boolean polled;
    private boolean subscribedAnnounced;
    private long lastSeq;
    private int failures;

    /** {@code polling} reads what is new when there is no stream to follow. */
    GatewaySubscription(GatewayHttp http, Optional<String> runnerId, long afterSeq, EventListener listener,
                        Polling polling, ScheduledExecutorService scheduler) {
        this.http = http;
        // an open stream is quiet between heartbeats (15 s): allow three of them before calling it dead
        this.streamClient = http.client.newBuilder().readTimeout(45, TimeUnit.SECONDS).addInterceptor(chain -> {
            // an event may be as large as an answer, never endless
            Response response = chain.proceed(chain.request());
            ResponseBody body = response.body();
            return response.newBuilder().body(ResponseBody.create(Okio.buffer(BoundedRecords.events(body.source(),
                    BoundedRecords.MAX_RECORD_BYTES, "event stream")), body.contentType(), body.contentLength())).build();
        }).build();
        this.runnerId = runnerId;
        this.listener = listener;
        this.polling = polling;
        this.scheduler = scheduler;
        this.lastSeq = afterSeq;
    }

    /** Connects and waits until the stream (or polling) is in place, so nothing after this call is missed. */
    void start() {
        connect();
        try {
            if (!ready.await(http.client.connectTimeoutMillis() + http.client.readTimeoutMillis() + 1000L, TimeUnit.MILLISECONDS)) {
                close();
                throw new RunnerException.Unavailable("the gateway's event stream did not open in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new RunnerException.Unavailable("interrupted while opening the event stream");
        }
        if (startFailure != null) {
            close();
            throw startFailure;
        }
    }

    private String streamPath() {
        return runnerId.map(id -> GatewayRunnerService.RUNNERS + id + "/stream").orElse(GatewayRunnerService.EVENTS + "stream");
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        Request.Builder request = http.request(http.url(streamPath(), Map.of())).header("Accept", "text/event-stream");
        if (lastSeq >= 0) {
            request.header("Last-Event-ID", Long.toString(lastSeq));
        }
        source = EventSources.createFactory(streamClient).newEventSource(request.build(), new Listener());
    }

    private final class Listener extends EventSourceListener {
        @Override
        public void onOpen(EventSource eventSource, Response response) {
            synchronized (GatewaySubscription.this) {
                failures = 0;
            }
            // a gateway that sends no hello: consider the stream in place once it is open
            pending = scheduler.schedule(ready::countDown, 1, TimeUnit.SECONDS);
        }

        @Override
        public void onEvent(EventSource eventSource, String id, String type, String data) {
            if (closed) {
                return;
            }
            try {
                Map<String, Object> body = GatewayHttp.parse(data);
                if ("hello".equals(type)) {
                    Object seq = body.get("last_seq");
                    announce(seq instanceof Number n ? n.longValue() : Math.max(lastSeq, 0));
                    ready.countDown();
                } else if ("output".equals(type)) {
                    listener.onOutput(GatewayResponses.output(body));
                } else {
                    deliver(GatewayResponses.event(body));
                }
            } catch (RunnerException e) {
                LOG.log(System.Logger.Level.WARNING, "skipped an unreadable stream message: " + e.getMessage());
            }
        }

        @Override
        public void onClosed(EventSource eventSource) {
            retryLater(null);
        }

        @Override
        public void onFailure(EventSource eventSource, Throwable t, Response response) {
            if (closed) {
                return;
            }
            if (ready.getCount() > 0) {
                if (response != null && response.code() == 404) {
                    startPolling();
                    return;
                }
                if (response != null && response.code() >= 400 && response.code() < 500) {
                    startFailure = GatewayHttp.errorOf(response, GatewayHttp.NotFoundMeans.MISSING_ID);
                    ready.countDown();
                    return;
                }
            }
            retryLater(t);
        }
    }

    private synchronized void announce(long seq) {
        if (seq > lastSeq) {
            lastSeq = seq;
        }
        if (!subscribedAnnounced) {
            subscribedAnnounced = true;
            listener.onSubscribed(lastSeq);
        }
    }

    private synchronized void deliver(AuditEvent event) {
        if (event.seq() > lastSeq) {
            lastSeq = event.seq();
            listener.onEvent(event);
        }
    }

    private synchronized void retryLater(Throwable cause) {
        if (closed) {
            return;
        }
        failures++;
        long delay = Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(failures - 1, 6));
        if (failures == 1 && ready.getCount() == 0) {
            listener.onError(new RunnerException.Unavailable("lost the gateway's event stream"
                    + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "") + "; reconnecting"));
        }
        pending = scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * No stream route on this gateway: poll instead — every {@link #POLL_MILLIS} while events come, less often (up to
     * {@link #MAX_POLL_MILLIS}) while none do.
     */
    private void startPolling() {
        polled = true;
        pollLater(0, POLL_MILLIS);
    }

    @Override
    public String note() {
        return polled ? "This gateway has no event stream route; new events are looked for every " + POLL_MILLIS / 1000
                + " to " + MAX_POLL_MILLIS / 1000 + " s." : "";
    }

    private synchronized void pollLater(long delay, long interval) {
        if (!closed) {
            pending = scheduler.schedule(() -> pollNow(interval), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void pollNow(long interval) {
        boolean brought = false;
        try {
            brought = poll();
        } catch (RunnerException.NotFound e) {
            // what is not there is not asked for again: the runner is gone, or the gateway has no events route
            listener.onError(e);
            ready.countDown();
            return;
        } catch (RunnerException e) {
            listener.onError(e);
        }
        ready.countDown();
        long next = nextPollMillis(interval, brought);
        pollLater(next, next);
    }

    /** One poll; true when it brought events. */
    private boolean poll() {
        if (closed) {
            return false;
        }
        long known;
        synchronized (this) {
            known = lastSeq;
        }
        if (known < 0) { // only new ones: what is there now is the baseline
            announce(polling.newest());
            return false;
        }
        List<AuditEvent> fresh = polling.after(known);
        announce(known);
        fresh.forEach(this::deliver);
        return !fresh.isEmpty();
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> p = pending;
        if (p != null) {
            p.cancel(false);
        }
        EventSource s = source;
        if (s != null) {
            s.cancel();
        }
        ready.countDown();
    }
}
