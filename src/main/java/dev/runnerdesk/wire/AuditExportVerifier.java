package dev.runnerdesk.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditExport;
import dev.runnerdesk.core.AuditExport.Header;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditVerifier;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.ChainVerification.Failed;
import dev.runnerdesk.core.ChainVerification.Problem;

import java.io.BufferedReader;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Checks an {@link AuditExport} file with no database: the lines are parsed with the program's JSON mapper. */
public final class AuditExportVerifier {
    private AuditExportVerifier() {
    }

    /** The outcome of checking an export: its header (when it had one), the result, and what the reader should know. */
    public record Checked(Optional<Header> header, ChainVerification result, List<String> notes) {
    }

    /**
     * Checks an export with no database: the header, every checkpoint's signature and links, every event's hash, the
     * links between events (unless the export is narrowed to some types), and each event a checkpoint signed.
     * {@code pinnedKey} is the public key the reader trusts; without it the file's own keys are used, and a note
     * says so.
     */
    public static Checked verify(BufferedReader in, Optional<String> pinnedKey, AuditProgress progress) throws IOException {
        List<String> notes = new ArrayList<>();
        String first = in.readLine();
        if (first == null) {
            return new Checked(Optional.empty(), unreadable(0, "the file is empty"), notes);
        }
        Header header;
        try {
            header = Header.fromJson(parse(first));
        } catch (IllegalArgumentException e) {
            return new Checked(Optional.empty(), unreadable(0, "line 1: " + e.getMessage()), notes);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        try {
            if (pinnedKey.isPresent()) {
                String pin = pinnedKey.get().trim();
                keys.put(AuditSignatures.keyId(pin), AuditSignatures.decodePublic(pin));
                if (!AuditSignatures.keyId(pin).equals(header.keyId()) && !header.retiredPublicKeys().contains(pin)) {
                    notes.add("the file names key " + header.keyId() + ", not the key given (" + AuditSignatures.keyId(pin) + ")");
                }
            } else {
                keys.put(AuditSignatures.keyId(header.publicKey()), AuditSignatures.decodePublic(header.publicKey()));
                for (String retired : header.retiredPublicKeys()) {
                    keys.put(AuditSignatures.keyId(retired), AuditSignatures.decodePublic(retired));
                }
                notes.add("signatures were checked with the key the file names (" + header.keyId()
                        + "); pass --public-key with the key you trust to pin it");
            }
        } catch (IllegalArgumentException e) {
            return new Checked(Optional.of(header), unreadable(0, "the public key: " + e.getMessage()), notes);
        }
        boolean contiguous = header.types().isEmpty();
        if (!contiguous) {
            notes.add("the export holds only some event types (" + String.join(", ", new TreeSet<>(header.types()))
                    + "): each event's hash and the signatures were checked, but not the links between events");
        }
        AuditVerifier verifier = new AuditVerifier(new AuditVerifier.Trust(header.chainId(), keys), header.legacyFormUntilSeq(),
                contiguous);
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        long lineNumber = 1;
        String line;
        boolean walking = false;
        long total = Math.max(0, header.toSeq() - header.fromSeq() + 1);
        long lastSeq = header.fromSeq() - 1;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> json;
            try {
                json = parse(line);
            } catch (IllegalArgumentException e) {
                return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber + ": " + e.getMessage()), notes);
            }
            if (json.containsKey("checkpoint")) {
                if (walking) {
                    return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber
                            + ": a checkpoint after the events (checkpoints come first)"), notes);
                }
                try {
                    checkpoints.add(AuditCheckpoint.fromJson(json));
                } catch (IllegalArgumentException e) {
                    return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber + ": " + e.getMessage()), notes);
                }
                continue;
            }
            if (!walking) {
                walking = true;
                Optional<Failed> bad = verifier.checkpoints(checkpoints, List.of(), false);
                if (bad.isPresent()) {
                    return new Checked(Optional.of(header), bad.get(), notes);
                }
                verifier.start(header.fromSeq(), header.fromSeq() == 1 ? AuditChain.GENESIS : null);
            }
            AuditEvent event;
            try {
                event = AuditExport.event(json);
            } catch (IllegalArgumentException e) {
                return new Checked(Optional.of(header), unreadable(0, "line " + lineNumber + ": " + e.getMessage()), notes);
            }
            if (event.seq() < header.fromSeq() || event.seq() > header.toSeq()) {
                return new Checked(Optional.of(header), new Failed(Problem.GAP, event.seq(), 0, "event " + event.seq()
                        + " is outside the range the header gives (" + header.fromSeq() + "–" + header.toSeq() + ")"), notes);
            }
            Optional<Failed> bad = verifier.accept(event);
            if (bad.isPresent()) {
                return new Checked(Optional.of(header), bad.get(), notes);
            }
            lastSeq = event.seq();
            if (verifier.count() % 5_000 == 0) {
                progress.progress(lastSeq - header.fromSeq() + 1, total);
            }
        }
        if (!walking) {
            Optional<Failed> bad = verifier.checkpoints(checkpoints, List.of(), false);
            if (bad.isPresent()) {
                return new Checked(Optional.of(header), bad.get(), notes);
            }
            verifier.start(header.fromSeq(), null);
        }
        // a narrowed export has no events at some signed seqs; only a whole one shows where its events end
        ChainVerification result = verifier.finish(header.toSeq(), contiguous ? lastSeq : header.toSeq());
        if (result.isVerified() && contiguous && lastSeq < header.toSeq()) {
            result = new Failed(Problem.TRUNCATED, lastSeq + 1, 0, "the header says the export ends at seq " + header.toSeq()
                    + " but its events end at " + lastSeq + ": the end of the file was cut off");
        }
        progress.progress(total, total);
        return new Checked(Optional.of(header), result, notes);
    }

    private static Failed unreadable(long seq, String detail) {
        return new Failed(Problem.UNREADABLE, seq, 0, detail);
    }

    private static Map<String, Object> parse(String line) {
        try {
            return Json.readObject(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
