package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.AuditTrailSupport;
import dev.runnerdesk.ui.common.CoalescedProgress;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.common.WaitIndicator;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.LongConsumer;

/**
 * The timeline's signed side: reads the backend's audit status off the FX thread (when events arrive, and every
 * minute while shown), joins it with the chain check of the loaded events into the badge (whose "2 min ago" is
 * redrawn as time passes), and runs Verify all — the backend's check of the whole trail — in the background with
 * progress and Cancel.
 * <p>The status read does not use {@code ViewLoader}: it is a periodic refresh that lets a read in flight finish
 * and runs once more after it when asked meanwhile (cancelling it would starve the badge while events stream in),
 * and an unreadable status is the badge's to show, not the connection's. A slow read shows what it waits for, with
 * Cancel, as the view's loads do.
 */
final class AuditVerificationController {
    static final String VERIFYING = "Verifying the audit trail";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    /** How often the badge is redrawn (its relative time) and, every {@value #TICKS_PER_STATUS} ticks, the status read. */
    private static final Duration TICK = Duration.seconds(20);
    private static final int TICKS_PER_STATUS = 3;
    private static final String STATUS_CANCELLED = "Cancelled — the audit status was not read, so the badge may be out "
            + "of date; it is read again within a minute";

    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final TimelineModel timeline;
    private final AuditVerificationModel model = new AuditVerificationModel();
    private final AuditVerificationView view;
    /** A status read that takes a while: what it waits for, and Cancel. */
    private final WaitIndicator statusWait = new WaitIndicator("timeline-audit-wait", false);
    private final VBox bar;
    private final Node verifyGate;
    private final StringBinding verifyReason;
    private final LongConsumer showSeq;
    private final Timeline ticker = new Timeline(new KeyFrame(TICK, e -> tick()));
    /** Events arrived: read the status again soon, at most once per pause however many arrive. */
    private final PauseTransition statusSoon = new PauseTransition(Duration.seconds(3));
    private final ListChangeListener<AuditEvent> onEvents = c -> {
        recompose();
        if (statusSoon.getStatus() != Animation.Status.RUNNING) {
            statusSoon.playFromStart();
        }
    };
    private final InvalidationListener onLoadedCheck = o -> recompose();
    private int ticks;
    private boolean active;
    private TaskExecutor.Cancellable statusLoad;
    /** A status read runs (its handle may come back after it ended: an immediate executor calls back at once). */
    private boolean statusReading;
    private boolean statusAgain;
    /** Drops the outcome of a status read that was cancelled. */
    private int statusGeneration;
    private TaskExecutor.Cancellable verifying;
    /** Drops progress and results of a verification that was cancelled or replaced. */
    private int verifyGeneration;

    AuditVerificationController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, TimelineModel timeline,
                                LongConsumer showSeq) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.timeline = timeline;
        this.showSeq = showSeq;
        this.view = new AuditVerificationView(model);
        VBox.setMargin(statusWait.view(), new Insets(0, 16, 8, 16));
        this.bar = new VBox(view.bar, statusWait.view());
        ticker.setCycleCount(Timeline.INDEFINITE);
        statusSoon.setOnFinished(e -> refreshStatus());

        model.role.bind(Bindings.createObjectBinding(() -> {
            WhoAmI who = connection.whoamiProperty().get();
            return who == null ? null : who.role();
        }, connection.whoamiProperty()));
        StringBinding roleReason = RoleGate.reason(model.role, Role.Permission.AUDIT, "verifying the audit trail");
        verifyReason = Bindings.createStringBinding(() -> {
            if (!roleReason.get().isEmpty()) {
                return roleReason.get();
            }
            if (model.signing.get() instanceof ChainBadge.Signing.Absent a) {
                return a.why();
            }
            return connection.service() == null ? "not connected" : "";
        }, roleReason, model.signing, connection.serviceProperty());
        view.verifyButton.disableProperty().bind(verifyReason.isNotEmpty().or(model.running));
        verifyGate = RoleGate.wrap(view.verifyButton, verifyReason);
        view.verifyButton.setOnAction(e -> verifyAll());
        view.cancelButton.setOnAction(e -> cancel());
        view.dismissButton.setOnAction(e -> clearResult());
        view.showSeq.setOnAction(e -> showSeq.accept(model.problemSeq.get()));

        model.signing.addListener(o -> recompose());
        model.full.addListener(o -> recompose());
        // another backend: what was read and found belongs to the old one
        connection.serviceProperty().addListener((o, was, now) -> {
            cancelStatusLoad();
            model.signing.set(ChainBadge.Signing.UNKNOWN);
            model.full.set(null);
            if (model.running.get()) {
                cancel();
            }
            clearResult();
            if (active) {
                refreshStatus();
            }
        });
    }

    /** The Verify all button, wrapped so the reason it is off shows on hover. */
    Node verifyButton() {
        return verifyGate;
    }

    /** The progress and result line, and the wait of a slow status read. */
    Node bar() {
        return bar;
    }

    void activate() {
        active = true;
        timeline.events.addListener(onEvents);
        timeline.loadedCheck.addListener(onLoadedCheck);
        ticks = 0;
        ticker.play();
        refreshStatus();
    }

    void deactivate() {
        active = false;
        timeline.events.removeListener(onEvents);
        timeline.loadedCheck.removeListener(onLoadedCheck);
        ticker.stop();
        statusSoon.stop();
        cancelStatusLoad();
        // a running Verify all goes on (the status bar shows it); its result waits here
    }

    private void tick() {
        recompose();
        if (++ticks % TICKS_PER_STATUS == 0) {
            refreshStatus();
        }
    }

    // ---- the badge

    /** Draws the badge from the loaded check, the signing status and the last Verify all, as of now. */
    void recompose() {
        timeline.chain.set(ChainBadge.compose(timeline.loadedCheck.get(), model.signing.get(),
                Optional.ofNullable(model.full.get()), this::loadedHash, timeline.clock.instant()));
    }

    /** The hash of the loaded event at {@code seq}, where the loaded events are consecutive (the unfiltered view). */
    private Optional<String> loadedHash(long seq) {
        List<AuditEvent> events = timeline.events;
        if (timeline.loadedCheck.get().state() != ChainBadge.LoadedCheck.State.CHECKED || events.isEmpty()) {
            return Optional.empty();
        }
        long index = events.get(0).seq() - seq;
        if (index < 0 || index >= events.size() || events.get((int) index).seq() != seq) {
            return Optional.empty();
        }
        return Optional.of(events.get((int) index).hash());
    }

    /** Reads the audit status in the background; one read at a time, another after it when asked meanwhile. */
    void refreshStatus() {
        RunnerService service = connection.service();
        if (service == null) {
            return;
        }
        if (statusReading) {
            statusAgain = true;
            return;
        }
        statusReading = true;
        int gen = ++statusGeneration;
        statusWait.start("Waiting for " + connection.where() + " to read the audit status", this::statusCancelledByPerson);
        TaskExecutor.Cancellable load = tasks.submit("Reading the audit status", () -> readSigning(service), signing -> {
            if (gen != statusGeneration) {
                return;
            }
            statusDone();
            if (service == connection.service()) {
                model.signing.set(signing);
            }
            if (statusAgain) {
                statusAgain = false;
                refreshStatus();
            }
        }, e -> {
            if (gen != statusGeneration) {
                return;
            }
            statusDone();
            statusAgain = false;
            if (e instanceof CancellationException) {
                statusWait.say(STATUS_CANCELLED); // cancelled in the status bar
            }
        });
        if (statusReading && gen == statusGeneration) {
            statusLoad = load;
        }
    }

    private void statusDone() {
        statusReading = false;
        statusLoad = null;
        statusWait.done();
    }

    /**
     * The person cancelled a slow status read (the status bar's cancel ends it the same way, through its failure): the
     * badge keeps what was read before, and the next read comes with new events or the minute's tick.
     */
    private void statusCancelledByPerson() {
        cancelStatusLoad();
        statusWait.say(STATUS_CANCELLED);
    }

    /** Off the FX thread: the status and the check of its newest checkpoint, or why there is none. */
    private static ChainBadge.Signing readSigning(RunnerService service) {
        try {
            return ChainBadge.inspect(service.auditStatus());
        } catch (RuntimeException e) {
            if (AuditTrailSupport.noSignedTrail(e)) {
                return new ChainBadge.Signing.Absent(AuditTrailSupport.NONE_HERE);
            }
            // offline and the like: the timeline's own loads report the connection; the badge says it in its tooltip
            return new ChainBadge.Signing.Unreadable(Notifier.describe(e));
        }
    }

    private void cancelStatusLoad() {
        statusGeneration++;
        if (statusLoad != null) {
            statusLoad.cancel();
            statusLoad = null;
        }
        statusReading = false;
        statusAgain = false;
        statusWait.done();
    }

    // ---- Verify all

    /** Starts the backend's check of the whole trail in the background (nothing happens while one runs). */
    void verifyAll() {
        RunnerService service = connection.service();
        if (service == null || model.running.get() || !verifyReason.get().isEmpty()) {
            return;
        }
        int gen = ++verifyGeneration;
        model.running.set(true);
        model.done = 0;
        model.total = -1;
        model.progress.set(-1);
        model.progressText.set("Verifying… starting");
        verifying = tasks.submitWithProgress(VERIFYING, progress -> {
            CoalescedProgress relay = new CoalescedProgress(tasks, (done, total) -> {
                progress.update(done, total);
                if (gen == verifyGeneration) {
                    showProgress(done, total);
                }
            });
            return service.verifyAudit(1, Long.MAX_VALUE, relay::update);
        }, result -> {
            if (gen != verifyGeneration) {
                return;
            }
            finished();
            if (service != connection.service()) {
                return;
            }
            connection.reportSuccess();
            showResult(result);
        }, e -> {
            if (gen != verifyGeneration) {
                return;
            }
            finished();
            if (e instanceof CancellationException) {
                showCancelled(); // from the status bar's cancel
            } else if (service == connection.service()) {
                showError(e);
            }
        });
    }

    /** Stops the running verification; the line says where it got to. */
    void cancel() {
        if (!model.running.get()) {
            return;
        }
        verifyGeneration++;
        if (verifying != null) {
            verifying.cancel(); // interrupts the verifying thread
        }
        finished();
        showCancelled();
    }

    private void finished() {
        verifying = null;
        model.running.set(false);
    }

    private void showProgress(long done, long total) {
        model.done = done;
        model.total = total;
        if (total <= 0) {
            model.progress.set(-1);
            model.progressText.set("Verifying…");
            return;
        }
        double share = Math.min(1.0, (double) done / total);
        model.progress.set(share);
        model.progressText.set(String.format(Locale.ROOT, "Verifying… %d %% · %,d of %,d events", (int) Math.floor(share * 100),
                done, total));
    }

    private void showResult(ChainVerification result) {
        model.full.set(new ChainBadge.FullCheck(result, timeline.clock.instant()));
        String at = CLOCK.format(timeline.clock.instant());
        if (result instanceof ChainVerification.Verified v) {
            String text;
            if (v.count() == 0) {
                text = "Verified: there are no events yet";
            } else {
                text = String.format(Locale.ROOT, "Verified seq %,d–%,d", v.fromSeq(), v.toSeq())
                        + (v.checkpoints() > 0 ? String.format(Locale.ROOT, " and %,d signed checkpoint%s", v.checkpoints(),
                        v.checkpoints() == 1 ? "" : "s") : "")
                        + (v.signedToSeq() > 0 ? String.format(Locale.ROOT, " · signed to seq %,d", v.signedToSeq())
                        : " · not signed yet");
            }
            setResult(AuditVerificationModel.Outcome.VERIFIED, text + " · " + at, 0);
            notifier.info("Audit trail verified", text);
        } else {
            ChainVerification.Failed f = (ChainVerification.Failed) result;
            String text = capitalize(f.describe());
            // a truncated trail's seq is the first one missing at the end: there is nothing there to show
            boolean showable = f.seq() > 0 && f.problem() != ChainVerification.Problem.TRUNCATED;
            setResult(AuditVerificationModel.Outcome.PROBLEM, text + " · " + at, showable ? f.seq() : 0);
            notifier.error("The audit trail does not verify", text);
        }
    }

    private void showCancelled() {
        String where = model.total > 0
                ? String.format(Locale.ROOT, "Verification cancelled at seq %,d of %,d (%d %%)", model.done + 1, model.total,
                (int) Math.floor(100.0 * model.done / model.total))
                : "Verification cancelled before the first events were checked";
        setResult(AuditVerificationModel.Outcome.CANCELLED, where, 0);
    }

    private void showError(Throwable e) {
        if (AuditTrailSupport.noSignedTrail(e)) {
            model.signing.set(new ChainBadge.Signing.Absent(AuditTrailSupport.NONE_HERE));
            setResult(AuditVerificationModel.Outcome.ERROR, capitalize(AuditTrailSupport.NONE_HERE), 0);
            return;
        }
        connection.report(e); // offline, refused key: the banner says it too
        setResult(AuditVerificationModel.Outcome.ERROR, "Cannot verify: " + Notifier.describe(e), 0);
    }

    private void setResult(AuditVerificationModel.Outcome outcome, String text, long seq) {
        model.resultText.set(text);
        model.problemSeq.set(seq);
        model.outcome.set(outcome);
    }

    private void clearResult() {
        setResult(AuditVerificationModel.Outcome.NONE, "", 0);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
