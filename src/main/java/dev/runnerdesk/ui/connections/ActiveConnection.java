package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.GatewayDeadlines;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.TaskExecutor;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.util.Duration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The backend the window works with: which profile, its open {@link RunnerService}, who we are there, and
 * how healthy the connection is. Every view reports the failures of its calls here; those about the
 * connection (beta gate, key, offline) become one banner, retried with backoff when offline.
 */
public final class ActiveConnection {
    /** How the connection is. */
    public enum Health {
        CONNECTING, ONLINE, OFFLINE, BETA_DISABLED, UNAUTHORIZED, FAILED
    }

    private static final int[] BACKOFF_SECONDS = {2, 4, 8, 16, 30, 60};

    private final RunnerServiceFactory backends;
    private final SecretStore secrets;
    private final TaskExecutor tasks;
    private final Clock clock;
    private final ObjectProperty<ConnectionProfile> profile = new SimpleObjectProperty<>(ConnectionProfile.thisComputer());
    private final ObjectProperty<RunnerService> service = new SimpleObjectProperty<>();
    private final ObjectProperty<Health> health = new SimpleObjectProperty<>(Health.CONNECTING);
    private final ObjectProperty<WhoAmI> whoami = new SimpleObjectProperty<>();
    private final StringProperty problem = new SimpleStringProperty("");
    private final IntegerProperty retryIn = new SimpleIntegerProperty();
    private final ObjectProperty<Instant> lastGood = new SimpleObjectProperty<>();
    private final IntegerProperty generation = new SimpleIntegerProperty();
    private final Timeline countdown;
    private int attempt;
    private TaskExecutor.Cancellable pending;
    /** Each gateway call's deadline (Settings), read as the call starts. */
    private volatile java.time.Duration deadline = GatewayDeadlines.DEFAULT;

    public ActiveConnection(RunnerServiceFactory backends, SecretStore secrets, TaskExecutor tasks, Clock clock) {
        this.backends = backends;
        this.secrets = secrets;
        this.tasks = tasks;
        this.clock = clock;
        countdown = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
        countdown.setCycleCount(Timeline.INDEFINITE);
    }

    /** Switches to {@code next}: the old service is closed, views clear and load from the new one. */
    public void connect(ConnectionProfile next) {
        stopRetrying();
        if (pending != null) {
            pending.cancel();
        }
        RunnerService old = service.get();
        service.set(null);
        whoami.set(null);
        problem.set("");
        lastGood.set(null);
        profile.set(next);
        health.set(Health.CONNECTING);
        attempt = 0;
        if (old != null) {
            tasks.submit("close the previous connection", () -> {
                old.close();
                return null;
            }, ok -> { }, e -> { });
        }
        open(next);
    }

    /** Where calls go, as people name it: the gateway's host (and port), or "this computer". */
    public String where() {
        return where(profile.get());
    }

    /** Where {@code p}'s calls go, as people name it. */
    public static String where(ConnectionProfile p) {
        return p.baseUrl().map(url -> {
            try {
                java.net.URI uri = java.net.URI.create(url.trim());
                return uri.getHost() == null ? url : uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            } catch (IllegalArgumentException e) {
                return url;
            }
        }).orElse("this computer");
    }

    /** How long each gateway call may take, retries included (Settings → Gateway answer deadline). */
    public java.time.Duration deadline() {
        return deadline;
    }

    /** Gives every call from the next one on {@code chosen} (within {@link GatewayDeadlines#SECONDS}); no reconnect. */
    public void setDeadline(java.time.Duration chosen) {
        GatewayDeadlines.SECONDS.check("", chosen.toSeconds());
        deadline = chosen;
    }

    /**
     * The person stopped waiting for the connection to open (the banner's Cancel): the attempt is abandoned (a gateway's
     * HTTP call aborted) and nothing more is tried until Retry; the banner then says it was cancelled.
     */
    public void cancelConnecting() {
        if (health.get() != Health.CONNECTING) {
            return;
        }
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        stopRetrying();
        problem.set("connecting was cancelled; Retry tries again");
        health.set(Health.FAILED);
    }

    /** Tries again now (the banner's Retry, or the backoff timer). */
    public void retry() {
        stopRetrying();
        RunnerService current = service.get();
        if (current == null) {
            health.set(Health.CONNECTING);
            open(profile.get());
            return;
        }
        ConnectionProfile at = profile.get();
        pending = tasks.submit("check " + at.name(), current::whoami, who -> {
            if (profile.get() == at) {
                online(who);
            }
        }, e -> {
            if (profile.get() == at && !report(e)) {
                fail(e);
            }
        });
    }

    /**
     * Takes a failed call's error: true when it is about the connection (then the banner says it), false
     * when it belongs to the call (the caller tells the person).
     */
    public boolean report(Throwable error) {
        Throwable e = error instanceof UncheckedIOException u ? u.getCause() : error;
        if (e instanceof RunnerException.BetaNotEnabled) {
            stopRetrying();
            problem.set(e.getMessage());
            health.set(Health.BETA_DISABLED);
            return true;
        }
        if (e instanceof RunnerException.Unauthorized) {
            stopRetrying();
            problem.set(e.getMessage());
            health.set(Health.UNAUTHORIZED);
            return true;
        }
        if (e instanceof RunnerException.Unavailable || e instanceof IOException) {
            problem.set(Notifier.describe(e));
            if (health.get() != Health.OFFLINE || !countdownRunning()) {
                health.set(Health.OFFLINE);
                scheduleRetry();
            }
            return true;
        }
        return false;
    }

    /** A call went through: an offline connection is back. */
    public void reportSuccess() {
        lastGood.set(clock.instant());
        if (health.get() == Health.OFFLINE) {
            stopRetrying();
            attempt = 0;
            problem.set("");
            health.set(Health.ONLINE);
            generation.set(generation.get() + 1);
        }
    }

    private void open(ConnectionProfile p) {
        pending = tasks.submit("connect to " + p.name(), () -> {
            Optional<String> key = p.kind() == ConnectionProfile.Kind.GATEWAY ? secrets.get(p.secretName()) : Optional.empty();
            RunnerService opened = backends.open(p, key, this::deadline);
            if (Thread.currentThread().isInterrupted()) {
                opened.close(); // cancelled while it opened: its result will be dropped, so it is closed here
                throw new java.util.concurrent.CancellationException("connecting was cancelled");
            }
            try {
                return new Opened(opened, opened.whoami(), null);
            } catch (RunnerException e) {
                return new Opened(opened, null, e);
            }
        }, opened -> {
            if (profile.get() != p) {
                tasks.submit("close a connection no longer used", () -> {
                    opened.service.close();
                    return null;
                }, ok -> { }, e -> { });
                return;
            }
            service.set(opened.service);
            if (opened.error != null) {
                if (!report(opened.error)) {
                    fail(opened.error);
                }
            } else {
                online(opened.whoami);
            }
        }, e -> {
            if (profile.get() == p && !report(e)) {
                fail(e);
            }
        });
    }

    private void online(WhoAmI who) {
        whoami.set(who);
        lastGood.set(clock.instant());
        attempt = 0;
        if (!who.betaAccess()) {
            problem.set("managed runners are not enabled for this account");
            health.set(Health.BETA_DISABLED);
            return;
        }
        problem.set("");
        if (health.get() != Health.ONLINE) {
            health.set(Health.ONLINE);
            generation.set(generation.get() + 1);
        }
    }

    private void fail(Throwable e) {
        stopRetrying();
        problem.set(Notifier.describe(e));
        health.set(Health.FAILED);
    }

    private void scheduleRetry() {
        int delay = BACKOFF_SECONDS[Math.min(attempt, BACKOFF_SECONDS.length - 1)];
        attempt++;
        retryIn.set(delay);
        countdown.playFromStart();
    }

    private void tick() {
        retryIn.set(retryIn.get() - 1);
        if (retryIn.get() <= 0) {
            retry();
        }
    }

    private boolean countdownRunning() {
        return countdown.getStatus() == Animation.Status.RUNNING;
    }

    private void stopRetrying() {
        countdown.stop();
        retryIn.set(0);
    }

    public ReadOnlyObjectProperty<ConnectionProfile> profileProperty() {
        return profile;
    }

    public ConnectionProfile profile() {
        return profile.get();
    }

    /** The open service, or null while there is none (connecting, or it could not be opened). */
    public ReadOnlyObjectProperty<RunnerService> serviceProperty() {
        return service;
    }

    public RunnerService service() {
        return service.get();
    }

    public ReadOnlyObjectProperty<Health> healthProperty() {
        return health;
    }

    public Health health() {
        return health.get();
    }

    public ReadOnlyObjectProperty<WhoAmI> whoamiProperty() {
        return whoami;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyIntegerProperty retryInProperty() {
        return retryIn;
    }

    public ReadOnlyObjectProperty<Instant> lastGoodProperty() {
        return lastGood;
    }

    /** Goes up each time the connection becomes usable again; views reload and resubscribe on it. */
    public ReadOnlyIntegerProperty generationProperty() {
        return generation;
    }

    /** Closes the service at exit. */
    public void close() {
        stopRetrying();
        if (pending != null) {
            pending.cancel();
        }
        RunnerService s = service.get();
        service.set(null);
        if (s != null) {
            s.close();
        }
    }

    private record Opened(RunnerService service, WhoAmI whoami, RunnerException error) {
    }
}
