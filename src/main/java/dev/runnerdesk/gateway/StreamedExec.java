package dev.runnerdesk.gateway;

import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import okio.BufferedSource;
import okio.Okio;

import java.io.IOException;
import java.util.Map;

/**
 * An exec answered as NDJSON: {@code output} lines handed to the caller as they come, then the {@code result} line,
 * or an {@code error} line once output has started (its status could no longer be the response's). A gateway that
 * does not stream answers with the plain result, whose output is handed over at once ({@link #deliver}).
 */
final class StreamedExec {
    private StreamedExec() {
    }

    static void deliver(OutputListener output, ExecResult result) {
        if (!result.stdout().isEmpty()) {
            output.onOutput(OutputListener.Stream.STDOUT, result.stdout());
        }
        if (!result.stderr().isEmpty()) {
            output.onOutput(OutputListener.Stream.STDERR, result.stderr());
        }
    }

    static ExecResult read(BufferedSource body, OutputListener output) {
        try (BufferedSource source = Okio.buffer(BoundedRecords.lines(body, BoundedRecords.MAX_RECORD_BYTES, "command output stream"))) {
            String line;
            while ((line = source.readUtf8Line()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> m = GatewayHttp.parse(line);
                switch (String.valueOf(m.get("type"))) {
                    case "output" -> output.onOutput("stderr".equals(m.get("stream")) ? OutputListener.Stream.STDERR
                            : OutputListener.Stream.STDOUT, String.valueOf(m.get("data")));
                    case "result" -> {
                        return GatewayResponses.execResult(m);
                    }
                    case "error" -> throw error(m);
                    default -> {
                        // a kind of line this version does not know: skip it
                    }
                }
            }
        } catch (IOException e) {
            throw new GatewayHttp.UncheckedIOException(e);
        }
        throw GatewayHttp.invalidResponse("the output stream ended without a result");
    }

    private static RunnerException error(Map<String, Object> line) {
        Map<String, Object> error = line.get("error") instanceof Map<?, ?> e ? GatewayResponses.cast(e) : Map.of();
        String message = String.valueOf(error.getOrDefault("message", "the command failed on the gateway"));
        return switch (String.valueOf(error.get("code"))) {
            case "policy_denied" -> new RunnerException.PolicyDenied(message);
            case "conflict" -> new RunnerException.Conflict(message);
            case "forbidden" -> new RunnerException.Forbidden(message);
            case "not_found" -> new RunnerException.NotFound(message);
            case "invalid_request" -> new InvalidRequest(null, message);
            default -> new RunnerException.Unavailable(message);
        };
    }
}
