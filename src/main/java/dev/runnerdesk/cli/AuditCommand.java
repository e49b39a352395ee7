package dev.runnerdesk.cli;

import dev.runnerdesk.core.AuditExport;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.store.PrivateFiles;
import dev.runnerdesk.wire.AuditExportVerifier;
import dev.runnerdesk.wire.AuditJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code runnerdesk audit …}: check the audit trail, export it, show its signing key. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify the audit trail against its signed checkpoints, export it, show its public key.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Key.class})
final class AuditCommand {
    private AuditCommand() {
    }

    /** {@code --from SEQ --to SEQ}: a range of the trail, checked once for both commands. */
    static final class SeqRange {
        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1", description = "First seq (default: 1).")
        long from;
        @Option(names = "--to", paramLabel = "SEQ", description = "Last seq (default: the newest).")
        Long to;

        void check() {
            if (from < 1 || to != null && to < from) {
                throw new RunnerException.InvalidRequest("from", "the range must be 1 ≤ --from ≤ --to, got " + from + "–"
                        + (to == null ? "newest" : to));
            }
        }

        long to() {
            return to == null ? Long.MAX_VALUE : to;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check every event's hash and link and every signed checkpoint.",
                    "Exit 0 when everything holds; 1 with the first problem and its seq otherwise."})
    static final class Verify extends BackendCommand {
        @Mixin
        SeqRange range;
        @Option(names = "--file", paramLabel = "FILE", description = "Check an export file offline instead (no database).")
        Path file;
        @Option(names = "--public-key", paramLabel = "KEY",
                description = "With --file: the public key you trust (base64url, as `audit key` prints it), instead of the file's own.")
        String publicKey;

        @Override
        public Integer call() {
            range.check();
            Progress progress = new Progress(err(), !connection.json && System.console() != null, "verifying");
            if (file != null) {
                return verifyFile(progress);
            }
            if (publicKey != null) {
                throw new RunnerException.InvalidRequest("public_key", "--public-key pins the key of an export; use it with --file");
            }
            try (ConnectionOptions.Opened b = connection.open()) {
                if (connection.gateway != null && progress.enabled) {
                    err().println("verifying on the gateway…");
                    err().flush();
                }
                ChainVerification result = b.service().verifyAudit(range.from, range.to(), progress);
                progress.done();
                Optional<AuditStatus> status = result.isVerified() ? Optional.of(b.service().auditStatus()) : Optional.empty();
                return report(result, status, List.of(), Optional.empty());
            }
        }

        private int verifyFile(Progress progress) {
            if (!Files.isRegularFile(file)) {
                throw new RunnerException.InvalidRequest("file", "no export file at " + file);
            }
            AuditExportVerifier.Checked checked;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                checked = AuditExportVerifier.verify(in, Optional.ofNullable(publicKey), progress);
            } catch (IOException | UncheckedIOException e) {
                throw new RunnerException.InvalidRequest("file", "cannot read " + file + ": " + e.getMessage());
            }
            progress.done();
            return report(checked.result(), Optional.empty(), checked.notes(), checked.header());
        }

        private int report(ChainVerification result, Optional<AuditStatus> status, List<String> notes,
                           Optional<AuditExport.Header> header) {
            if (connection.json) {
                Map<String, Object> json = new LinkedHashMap<>(AuditJson.verification(result));
                header.ifPresent(h -> {
                    json.put("chain_id", h.chainId());
                    json.put("key_id", h.keyId());
                });
                status.ifPresent(s -> {
                    s.chainId().ifPresent(c -> json.put("chain_id", c));
                    s.keyId().ifPresent(k -> json.put("key_id", k));
                    json.put("unsigned_events", s.unsignedEvents());
                    s.problem().ifPresent(p -> json.put("signing_problem", p));
                });
                if (!notes.isEmpty()) {
                    json.put("notes", notes);
                }
                json(json);
            } else if (result instanceof ChainVerification.Verified v) {
                out().println(verifiedLine(v));
                status.ifPresent(s -> {
                    long newer = s.headSeq() - Math.max(v.signedToSeq(), v.toSeq());
                    if (v.toSeq() >= s.headSeq() && s.unsignedEvents() > 0) {
                        out().println(String.format(Locale.ROOT, "%,d newest event%s chained but not signed yet (a checkpoint is"
                                + " signed every 1,000 events and every 5 minutes)", s.unsignedEvents(),
                                s.unsignedEvents() == 1 ? " is" : "s are"));
                    } else if (newer > 0 && v.toSeq() < s.headSeq()) {
                        out().println(String.format(Locale.ROOT, "(the trail goes on to seq %,d; --to stopped the check)", s.headSeq()));
                    }
                    s.problem().ifPresent(p -> out().println("warning: " + p));
                });
                notes.forEach(n -> out().println("note: " + n));
            } else {
                ChainVerification.Failed f = (ChainVerification.Failed) result;
                out().println("NOT VERIFIED: " + result.describe());
                notes.forEach(n -> out().println("note: " + n));
                if (f.seq() > 0) {
                    out().println("first problem at seq " + f.seq());
                }
            }
            out().flush();
            return result.isVerified() ? 0 : 1;
        }

        private static String verifiedLine(ChainVerification.Verified v) {
            if (v.count() == 0) {
                return "verified: no events in the range";
            }
            String line = String.format(Locale.ROOT, "verified seq %,d–%,d (%,d events): every hash and link holds", v.fromSeq(),
                    v.toSeq(), v.count());
            if (v.signedToSeq() > 0) {
                line += String.format(Locale.ROOT, "; signed to seq %,d (%d checkpoint%s checked, the newest at %s)",
                        v.signedToSeq(), v.checkpoints(), v.checkpoints() == 1 ? "" : "s", v.signedAt().map(Instant::toString).orElse("?"));
            } else {
                line += "; no signed checkpoint in the range";
            }
            return line;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write the trail as JSON Lines: a header with the public key, the signed checkpoints, then each event",
                    "in its canonical form with prev_hash and hash. Check it with `audit verify --file FILE`."})
    static final class Export extends BackendCommand {
        @Mixin
        SeqRange range;
        @Option(names = "--type", paramLabel = "TYPE", split = ",",
                description = "Only these event types (repeat or comma-separate); links between events then cannot be checked.")
        List<String> types;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write (private to you).")
        Path output;
        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Override
        public Integer call() {
            range.check();
            Set<String> typeSet = new LinkedHashSet<>(types == null ? List.of() : types);
            for (String t : typeSet) {
                if (!EventTypes.ALL.contains(t)) {
                    throw new RunnerException.InvalidRequest("type", "unknown event type " + t + "; known: "
                            + String.join(", ", EventTypes.ALL));
                }
            }
            Path target = output.toAbsolutePath();
            if (Files.exists(target) && !force) {
                throw new RunnerException.InvalidRequest("output", target + " exists; pass --force to replace it");
            }
            if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
                throw new RunnerException.InvalidRequest("output", "no folder " + target.getParent());
            }
            Progress progress = new Progress(err(), System.console() != null, "exporting");
            Path tmp = target.resolveSibling("." + target.getFileName() + ".partial");
            try (ConnectionOptions.Opened b = connection.open()) {
                RunnerService service = b.service();
                Files.deleteIfExists(tmp);
                AuditExport.Written written;
                try (Writer out = new BufferedWriter(new OutputStreamWriter(PrivateFiles.newFile(tmp), StandardCharsets.UTF_8))) {
                    written = AuditExport.write(AuditExport.Source.of(service), range.from, range.to(), typeSet, Instant.now(),
                            out, progress);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                progress.done();
                if (connection.json) {
                    json(Map.of("file", target.toString(), "events", written.events(),
                            "checkpoints", written.checkpoints(), "from_seq", written.fromSeq(), "to_seq", written.toSeq()));
                } else {
                    out().println(String.format(Locale.ROOT, "wrote %,d events (seq %,d–%,d) and %,d checkpoints to %s",
                            written.events(), written.fromSeq(), written.toSeq(), written.checkpoints(), target));
                }
                out().flush();
                return 0;
            } catch (IOException e) {
                throw new RunnerException.Unavailable("cannot write " + target + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do about a partial file that cannot be removed
                }
            }
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Print the chain id and the public key that signs its checkpoints (base64url and PEM).")
    static final class Key extends BackendCommand {
        @Override
        public Integer call() {
            try (ConnectionOptions.Opened b = connection.open()) {
                AuditStatus s = b.service().auditStatus();
                if (connection.json) {
                    json(AuditJson.status(s));
                } else if (s.publicKey().isEmpty()) {
                    out().println("no signing key yet" + s.problem().map(p -> ": " + p).orElse(""));
                } else {
                    out().println("chain id    " + s.chainId().orElse("?"));
                    out().println("key id      " + s.keyId().orElse("?"));
                    out().println("public key  " + s.publicKey().get());
                    s.lastCheckpoint().ifPresentOrElse(cp -> out().println(String.format(Locale.ROOT,
                            "last signed checkpoint %d: seq %,d at %s", cp.number(), cp.seq(), cp.time())),
                            () -> out().println("no checkpoint signed yet"));
                    for (String retired : s.retiredPublicKeys()) {
                        out().println("earlier key " + AuditSignatures.keyId(retired) + "  " + retired);
                    }
                    s.problem().ifPresent(p -> out().println("warning: " + p));
                    out().println();
                    out().print(AuditSignatures.pem(s.publicKey().get()));
                }
                out().flush();
                return s.publicKey().isPresent() ? 0 : 1;
            }
        }
    }

    /** A progress bar on stderr, redrawn in place, only on a terminal. */
    static final class Progress implements AuditProgress {
        private static final int WIDTH = 30;
        final boolean enabled;
        private final PrintWriter err;
        private final String label;
        private int lastPercent = -1;

        Progress(PrintWriter err, boolean enabled, String label) {
            this.err = err;
            this.enabled = enabled;
            this.label = label;
        }

        @Override
        public void progress(long done, long total) {
            if (!enabled || total <= 0) {
                return;
            }
            int percent = (int) (done * 100 / total);
            if (percent == lastPercent) {
                return;
            }
            lastPercent = percent;
            int filled = percent * WIDTH / 100;
            err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %,d/%,d", label, "#".repeat(filled),
                    ".".repeat(WIDTH - filled), percent, done, total));
            err.flush();
        }

        void done() {
            if (enabled && lastPercent >= 0) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
