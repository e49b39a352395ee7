package dev.runnerdesk.ui.settings;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditExport;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.ui.common.AuditTrailSupport;
import dev.runnerdesk.ui.common.CoalescedProgress;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.RelativeTime;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.TaskExecutor;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.ViewLoader;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Settings → Audit: reads the backend's audit status off the FX thread when shown, copies the public key, and
 * exports the whole trail in the background to a file that appears complete or not at all.
 */
public final class AuditSettingsController {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    private final ActiveConnection connection;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Clock clock;
    private final Supplier<Window> owner;
    private final AuditSettingsView view;
    private final ObjectProperty<AuditStatus> status = new SimpleObjectProperty<>();
    private final ObjectBinding<Role> role;
    private final ChangeListener<RunnerService> onService = (o, was, now) -> reload();
    private final ViewLoader loader;
    private TaskExecutor.Cancellable exporting;
    private Path exportTarget;

    public AuditSettingsController(ActiveConnection connection, TaskExecutor tasks, Notifier notifier, Clock clock,
                                   Supplier<Window> owner) {
        this.connection = connection;
        this.tasks = tasks;
        this.notifier = notifier;
        this.clock = clock;
        this.owner = owner;
        role = Bindings.createObjectBinding(() -> {
            WhoAmI who = connection.whoamiProperty().get();
            return who == null ? null : who.role();
        }, connection.whoamiProperty());
        StringBinding reason = RoleGate.reason(role, Role.Permission.AUDIT, "exporting the audit trail");
        view = new AuditSettingsView(button -> RoleGate.wrap(button, reason));
        // a cancel leaves what was read before in view
        loader = new ViewLoader(connection, tasks).showingWaitIn(view.wait, "read the audit status",
                "Cancelled — the audit status was not read; the refresh button beside the title reads it again", () -> { });
        view.export.disableProperty().bind(reason.isNotEmpty().or(view.exporting).or(status.isNull()));
        view.export.setOnAction(e -> exportWithChooser());
        view.cancelExport.setOnAction(e -> cancelExport());
        view.copyKey.setOnAction(e -> copyPublicKey());
        view.refresh.setOnAction(e -> reload());
        status.addListener((o, was, now) -> show(now));
    }

    public Node view() {
        return view.root;
    }

    /** Shown: read the status, and again when the connection changes. */
    public void activate() {
        connection.serviceProperty().addListener(onService);
        reload();
    }

    public void deactivate() {
        connection.serviceProperty().removeListener(onService);
        loader.cancel(); // a status read stops with the view (it is read afresh when shown); an export goes on
        // (the status bar shows it)
    }

    /** Reads the audit status in the background. */
    public void reload() {
        boolean started = loader.load("Reading the audit status", AuditSettingsController::readStatus, read -> {
            if (read.isEmpty()) {
                status.set(null);
                view.notice(capitalize(AuditTrailSupport.NONE_HERE) + ". Checking it needs a RunnerDesk gateway "
                        + "(runnerdesk serve) or this computer.");
                view.details.setVisible(false);
                return;
            }
            AuditStatus s = read.get();
            view.notice(s.publicKey().isEmpty() ? "The audit trail has no signing key yet"
                    + s.problem().map(p -> ": " + p).orElse(".") : "");
            status.set(s);
        }, e -> {
            status.set(null);
            view.notice("The audit status cannot be read: " + Notifier.describe(e));
        });
        if (!started) {
            status.set(null);
            view.notice("Not connected.");
        }
    }

    /** Off the FX thread: the status, or empty where the backend keeps no signed trail (which is not being offline). */
    private static Optional<AuditStatus> readStatus(RunnerService service) {
        try {
            return Optional.of(service.auditStatus());
        } catch (RuntimeException e) {
            if (AuditTrailSupport.noSignedTrail(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void show(AuditStatus s) {
        view.details.setVisible(true);
        if (s == null) {
            for (var f : new TextField[] {view.chainId, view.publicKey}) {
                f.setText("—");
            }
            view.keyId.setText("—");
            view.lastCheckpoint.setText("—");
            view.unsigned.setText("—");
            view.signingProblem.setVisible(false);
            view.retiredKeys.setVisible(false);
            view.copyKey.setDisable(true);
            return;
        }
        view.chainId.setText(s.chainId().orElse("none yet"));
        view.keyId.setText(s.keyId().orElse("none yet"));
        view.publicKey.setText(s.publicKey().orElse("none yet"));
        view.copyKey.setDisable(s.publicKey().isEmpty());
        int retired = s.retiredPublicKeys().size();
        view.retiredKeys.setVisible(retired > 0);
        view.retiredKeys.setText(retired == 0 ? "" : retired + (retired == 1 ? " earlier key signed" : " earlier keys signed")
                + " older checkpoints; exports carry " + (retired == 1 ? "it" : "them") + " too.");
        view.lastCheckpoint.setText(s.lastCheckpoint().map(this::describe).orElse("none yet"));
        view.unsigned.setText(s.unsignedEvents() == 0
                ? String.format(Locale.ROOT, "none — every one of the %,d %s is signed", s.headSeq(), s.headSeq() == 1 ? "event" : "events")
                : String.format(Locale.ROOT, "%,d of %,d events — the next checkpoint signs them", s.unsignedEvents(), s.headSeq()));
        view.signingProblem.setText(s.problem().map(p -> "Not signing: " + p).orElse(""));
        view.signingProblem.setVisible(s.problem().isPresent());
    }

    private String describe(AuditCheckpoint cp) {
        return String.format(Locale.ROOT, "checkpoint %,d · seq %,d · %s (%s)", cp.number(), cp.seq(), AT.format(cp.time()),
                RelativeTime.ago(cp.time(), clock.instant()));
    }

    /** Puts the public key on the clipboard. */
    public void copyPublicKey() {
        AuditStatus s = status.get();
        if (s == null || s.publicKey().isEmpty()) {
            return;
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(s.publicKey().get());
        Clipboard.getSystemClipboard().setContent(content);
        notifier.info("Public key copied", "The audit trail's public key (key id " + s.keyId().orElse("?") + ") is on the clipboard.");
    }

    // ---- export

    private void exportWithChooser() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the audit trail");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON Lines", "*.jsonl"));
        chooser.setInitialFileName("runnerdesk-audit-" + FILE_TIME.format(clock.instant()) + ".jsonl");
        File file = chooser.showSaveDialog(owner.get());
        if (file != null) {
            export(file.toPath());
        }
    }

    /**
     * Writes the whole trail to {@code target} in the background with progress: to a private temporary file beside it,
     * moved into place only when complete, so a failure or Cancel leaves no partial file.
     */
    public TaskExecutor.Cancellable export(Path target) {
        RunnerService service = connection.service();
        if (service == null || view.exporting.get()) {
            return () -> { };
        }
        Path file = target.toAbsolutePath();
        exportTarget = file;
        view.exporting.set(true);
        view.progress.set(-1);
        view.exportStatus("Exporting to " + file.getFileName() + "…", false);
        exporting = tasks.submitWithProgress("Exporting the audit trail to " + file.getFileName(), progress -> {
            CoalescedProgress relay = new CoalescedProgress(tasks, (done, total) -> {
                progress.update(done, total);
                if (file.equals(exportTarget) && view.exporting.get()) {
                    view.progress.set(total > 0 ? (double) done / total : -1);
                    view.exportStatus(String.format(Locale.ROOT, "Exporting to %s… %,d of %,d events", file.getFileName(), done,
                            total), false);
                }
            });
            return write(service, file, relay);
        }, written -> {
            exporting = null;
            view.exporting.set(false);
            String text = String.format(Locale.ROOT, "Wrote %,d %s (seq %,d–%,d) and %,d signed %s to %s", written.events(),
                    written.events() == 1 ? "event" : "events", written.fromSeq(), written.toSeq(), written.checkpoints(),
                    written.checkpoints() == 1 ? "checkpoint" : "checkpoints", file);
            view.exportStatus(text + ". runnerdesk audit verify --file checks it offline.", false);
            notifier.info("Audit trail exported", text);
        }, e -> {
            exporting = null;
            view.exporting.set(false);
            if (e instanceof CancellationException) {
                view.exportStatus("Export cancelled; no file was written.", false);
            } else if (AuditTrailSupport.noSignedTrail(e)) {
                view.exportStatus(capitalize(AuditTrailSupport.NONE_HERE) + ".", true);
            } else {
                connection.report(e);
                view.exportStatus("Export failed: " + Notifier.describe(e), true);
                notifier.error("Cannot export the audit trail", e);
            }
        });
        return exporting;
    }

    /** Off the FX thread. */
    private AuditExport.Written write(RunnerService service, Path target, TaskExecutor.Progress progress) throws IOException {
        Path dir = target.getParent();
        // createTempFile makes it readable by its owner only: the trail names runners, commands and people
        Path part = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
        try {
            AuditExport.Written written;
            try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                written = AuditExport.write(AuditExport.Source.of(service), 1, Long.MAX_VALUE, Set.of(), clock.instant(), out,
                        progress::update);
            }
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return written;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private void cancelExport() {
        if (exporting != null) {
            exporting.cancel(); // interrupts the writer; its temporary file is deleted on the way out
            exporting = null;
        }
        view.exporting.set(false);
        exportTarget = null;
        view.exportStatus("Export cancelled; no file was written.", false);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
