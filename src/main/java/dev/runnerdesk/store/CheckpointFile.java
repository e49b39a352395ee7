package dev.runnerdesk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.wire.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * {@code <data-dir>/audit/checkpoints.jsonl}: every checkpoint again, outside the database, one RFC 8785 line each,
 * appended and synced to disk after the database has it. Several processes may append: each holds the file's lock
 * and appends what the database has beyond the file's last line, so lines are never doubled or out of order.
 */
public final class CheckpointFile {
    public static final String NAME = "checkpoints.jsonl";
    private final Path file;

    public CheckpointFile(Path auditFolder) {
        this.file = auditFolder.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /** Every checkpoint in the file; a line that is not one is an IOException naming it. */
    public List<AuditCheckpoint> readAll() throws IOException {
        List<AuditCheckpoint> all = new ArrayList<>();
        if (!Files.exists(file)) {
            return all;
        }
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                all.add(AuditCheckpoint.fromJson(Json.readObject(line)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IOException(NAME + " line " + lineNumber + " is not a checkpoint: " + e.getMessage(), e);
            }
        }
        return all;
    }

    /**
     * Appends the checkpoints {@code after} gives (those after a number, in order) beyond the file's last one, and
     * syncs. A line cut short by a crash is dropped first: a checkpoint is only whole with its signature.
     */
    public void catchUp(LongFunction<List<AuditCheckpoint>> after) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        PrivateFiles.createFileIfMissing(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            long end = dropPartialLine(channel);
            long lastNumber = lastNumber(channel, end);
            List<AuditCheckpoint> missing = after.apply(lastNumber);
            if (missing.isEmpty()) {
                return;
            }
            StringBuilder lines = new StringBuilder();
            for (AuditCheckpoint cp : missing) {
                lines.append(AuditChain.canonical(cp.toJson())).append('\n');
            }
            channel.position(end);
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /** Truncates anything after the last newline; returns the file's length after. */
    private static long dropPartialLine(FileChannel channel) throws IOException {
        long size = channel.size();
        long end = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (end > 0) {
            one.clear();
            channel.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        if (end < size) {
            channel.truncate(end);
        }
        return end;
    }

    private static long lastNumber(FileChannel channel, long end) throws IOException {
        if (end == 0) {
            return 0;
        }
        int tail = (int) Math.min(end, 8192);
        ByteBuffer buffer = ByteBuffer.allocate(tail);
        channel.read(buffer, end - tail);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        String last = lines[lines.length - 1];
        try {
            return AuditCheckpoint.fromJson(Json.readObject(last)).number();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("the last line of " + NAME + " is not a checkpoint; not appending to it", e);
        }
    }
}
