package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.RunnerService;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The timeline's export: every event a filter selects — the whole range, paged from the service, not only what the
 * timeline has loaded — newest first, as JSON Lines or CSV. The file appears complete or not at all: it is written
 * beside the target as {@code .part} and moved over it at the end; a failure or an interrupt deletes the part.
 * No JavaFX: the controller runs it off the FX thread.
 */
final class EventExport {
    private EventExport() {
    }

    /** How far an export got: events written, of the total the filter selected when it started (or more). */
    @FunctionalInterface
    interface Progress {
        void update(long written, long total);
    }

    /** Writes what {@code filter} selects (its page size and position ignored) to {@code file}; returns the count. */
    static long write(RunnerService service, EventQuery filter, ExportFormat format, Path file, Progress progress)
            throws IOException {
        EventQuery base = wholeRange(filter);
        Path part = file.resolveSibling(file.getFileName() + ".part");
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            if (format == ExportFormat.CSV) {
                out.write(EventFormats.CSV_HEADER);
                out.write("\r\n");
            }
            EventQuery query = base;
            long total = -1;
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("Exporting events to " + file.getFileName() + ": cancelled");
                }
                EventPage page = service.events(query);
                if (total < 0) {
                    total = page.total();
                }
                for (AuditEvent e : page.events()) {
                    out.write(format == ExportFormat.CSV ? EventFormats.csvRow(e) : EventFormats.jsonLine(e));
                    out.write(format == ExportFormat.CSV ? "\r\n" : "\n");
                    written++;
                }
                progress.update(written, Math.max(total, written));
                if (page.events().size() < query.limit()) {
                    break;
                }
                query = base.before(page.events().get(page.events().size() - 1).seq());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
        return written;
    }

    /** The filter from its newest event on, in the largest pages the service gives. */
    static EventQuery wholeRange(EventQuery q) {
        return new EventQuery(q.runnerId(), EventQuery.MAX_LIMIT, Optional.empty(), q.types(), q.sessionId(), q.actor(),
                q.from(), q.to(), q.text());
    }
}
