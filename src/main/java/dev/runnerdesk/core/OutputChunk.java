package dev.runnerdesk.core;

import java.util.Objects;

/** A piece of a running command's output, as live subscribers of its runner see it. */
public record OutputChunk(String runnerId, String sessionId, String commandId, OutputListener.Stream stream, String data) {
    public OutputChunk {
        Objects.requireNonNull(runnerId, "runnerId");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(data, "data");
    }
}
