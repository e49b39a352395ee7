package dev.runnerdesk.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This computer's processes by command line, as the host sees a sandbox's (its PID namespace hides nothing from here). */
public final class HostProcesses {
    private HostProcesses() {
    }

    /**
     * The processes of sandboxed commands whose command line contains {@code token}: not the launcher or bubblewrap
     * still building the sandbox, whose command lines hold the command's too (so its appearing there does not mean
     * the command runs yet).
     */
    public static List<ProcessHandle> commandsWithToken(String token) {
        return withToken(token).stream()
                .filter(p -> !p.info().arguments().map(a -> List.of(a).contains("--die-with-parent")).orElse(false))
                .toList();
    }

    /** The live processes whose command line (arguments joined by spaces) contains {@code token}. */
    public static List<ProcessHandle> withToken(String token) {
        List<ProcessHandle> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(token)) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(out::add);
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc", e);
        }
        return out;
    }
}
