package dev.runnerdesk.cli;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.WorkspacePath;
import dev.runnerdesk.wire.FileJson;
import dev.runnerdesk.wire.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code runnerdesk runners files …}: a runner's workspace files from the command line, on this computer or through
 * {@code --gateway}, as {@code docker cp} users expect: {@code get} and {@code put} copy a file (a folder with
 * {@code -r}), "-" standing for standard output or input.
 */
@Command(name = "files", description = "List, copy, move and delete a runner's workspace files.", mixinStandardHelpOptions = true,
        subcommands = {FilesCommand.Ls.class, FilesCommand.Get.class, FilesCommand.Put.class, FilesCommand.Rm.class,
                FilesCommand.Mv.class, FilesCommand.Mkdir.class})
final class FilesCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Command(name = "ls", description = "List a folder of the workspace (the root without PATH).", mixinStandardHelpOptions = true)
    static final class Ls extends RunnersCommand.Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/", description = "A folder in the workspace (default: the root).")
        String path;

        @Override
        int run(ConnectionOptions.Opened b) {
            List<FileEntry> entries = b.service().listFiles(runnerId, path);
            if (connection.json) {
                json(Map.of("entries", entries.stream().map(FileJson::entry).toList()));
            } else if (entries.isEmpty()) {
                out().println(WorkspacePath.parse("path", path) + " is empty.");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"KIND", "SIZE", "MODE", "MODIFIED", "NAME"});
                for (FileEntry e : entries) {
                    rows.add(new String[] {e.kind().wireName(), e.isFolder() ? "-" : Long.toString(e.size()),
                            e.mode() == 0 ? "-" : String.format("%04o", e.mode()), TIME.format(e.modified()),
                            e.name() + (e.isFolder() ? "/" : "") + e.linkTarget().map(t -> " -> " + t).orElse("")});
                }
                Tables.print(out(), rows);
            }
            return 0;
        }
    }

    /** What a copy did, as a line for people or JSON for scripts. */
    abstract static class Copy extends RunnersCommand.Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "PATH", description = "The path in the workspace.")
        String path;
        @Parameters(index = "2", paramLabel = "LOCAL", arity = "0..1",
                description = "The path on this computer (default: PATH's name, here); - for standard output or input.")
        String local;
        @Option(names = {"-r", "--recursive"}, description = "Copy a folder and everything in it (symlinks are skipped).")
        boolean recursive;

        Path localPath() {
            return Path.of(local != null ? local : WorkspacePath.parse("path", path).name().isEmpty() ? "workspace"
                    : WorkspacePath.parse("path", path).name());
        }

        int report(FileTransfers t, String verb) {
            if (connection.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("files", t.files);
                m.put("bytes", t.bytes);
                m.put("skipped", t.skipped);
                json(m);
            } else if (!"-".equals(local)) {
                out().println(verb + " " + t.files + (t.files == 1 ? " file" : " files") + ", " + t.bytes + " bytes"
                        + (t.skipped.isEmpty() ? "" : "; skipped " + t.skipped.size() + " (see above)") + ".");
            }
            return 0;
        }
    }

    @Command(name = "get", description = {"Download a file (a folder with -r) from the workspace.",
            "Never replaces a local file unless --force; a failed download leaves no part behind."}, mixinStandardHelpOptions = true)
    static final class Get extends Copy {
        @Option(names = {"-f", "--force"}, description = "Replace local files that exist.")
        boolean force;

        @Override
        int run(ConnectionOptions.Opened b) {
            boolean stdout = "-".equals(local);
            FileTransfers t = new FileTransfers(b.service(), runnerId, err(), FileTransfers.terminal() && !stdout, force);
            if (stdout) {
                out().flush();
                t.getToStdout(path, System.out);
                return 0;
            }
            t.get(path, localPath(), recursive);
            return report(t, "Downloaded");
        }
    }

    @Command(name = "put", description = "Upload a file (a folder with -r) to the workspace; replaces a file at PATH.",
            mixinStandardHelpOptions = true)
    static final class Put extends Copy {
        @Override
        int run(ConnectionOptions.Opened b) {
            FileTransfers t = new FileTransfers(b.service(), runnerId, err(), FileTransfers.terminal(), false);
            if ("-".equals(local)) {
                t.putFromStdin(System.in, path);
            } else {
                t.put(localPath(), path, recursive);
            }
            return report(t, "Uploaded");
        }
    }

    @Command(name = "rm", description = "Delete a file or symlink (a folder with -r).", mixinStandardHelpOptions = true)
    static final class Rm extends RunnersCommand.Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "PATH")
        String path;
        @Option(names = {"-r", "--recursive"}, description = "Delete a folder and everything in it.")
        boolean recursive;

        @Override
        int run(ConnectionOptions.Opened b) {
            b.service().deleteFile(runnerId, path, recursive);
            if (connection.json) {
                json(Map.of("deleted", WorkspacePath.parse("path", path).relative()));
            } else {
                out().println("Deleted " + WorkspacePath.parse("path", path) + ".");
            }
            return 0;
        }
    }

    @Command(name = "mv", description = "Move or rename; never replaces what is at TO.", mixinStandardHelpOptions = true)
    static final class Mv extends RunnersCommand.Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "FROM")
        String from;
        @Parameters(index = "2", paramLabel = "TO")
        String to;

        @Override
        int run(ConnectionOptions.Opened b) {
            FileEntry moved = b.service().moveFile(runnerId, from, to);
            if (connection.json) {
                json(FileJson.entry(moved));
            } else {
                out().println("Moved " + WorkspacePath.parse("from", from) + " to /" + moved.path() + ".");
            }
            return 0;
        }
    }

    @Command(name = "mkdir", description = "Make a folder (and the folders on the way).", mixinStandardHelpOptions = true)
    static final class Mkdir extends RunnersCommand.Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "PATH")
        String path;

        @Override
        int run(ConnectionOptions.Opened b) {
            FileEntry made = b.service().makeFolder(runnerId, path);
            if (connection.json) {
                json(FileJson.entry(made));
            } else {
                out().println("Made /" + made.path() + ".");
            }
            return 0;
        }
    }

    /** {@code runnerdesk runners stats RUNNER [--watch]}: the runner's latest resource sample, or each new one. */
    @Command(name = "stats", description = {"Show a runner's resource use (CPU, memory, disk, processes, network).",
            "With --watch, a line per new sample (every " + 5 + " s) until Ctrl+C."}, mixinStandardHelpOptions = true)
    static final class Stats extends RunnersCommand.Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Option(names = "--watch", description = "Keep printing new samples until Ctrl+C.")
        boolean watch;
        @Option(names = "--count", hidden = true, description = "With --watch: stop after this many samples.")
        Integer count;

        @Override
        int run(ConnectionOptions.Opened b) {
            List<MetricsSample> samples = b.service().metrics(runnerId, Instant.EPOCH);
            PrintWriter out = out();
            if (!watch) {
                if (connection.json) {
                    json(Map.of("samples", samples.stream().map(FileJson::sample).toList()));
                } else if (samples.isEmpty()) {
                    out.println("No samples yet for " + runnerId + ".");
                } else {
                    Tables.print(out, List.of(HEADER, row(samples.get(samples.size() - 1))));
                }
                return 0;
            }
            Instant since = Instant.EPOCH;
            int shown = 0;
            if (!connection.json) {
                out.println(String.join("  ", HEADER));
            }
            while (true) {
                for (MetricsSample s : samples) {
                    out.println(connection.json ? Json.write(FileJson.sample(s)) : String.join("  ", row(s)));
                    since = s.at();
                    if (count != null && ++shown >= count) {
                        out.flush();
                        return 0;
                    }
                }
                out.flush();
                try {
                    Thread.sleep(MetricsSample.INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                samples = b.service().metrics(runnerId, since);
            }
        }

        private static final String[] HEADER = {"TIME", "CPU", "MEMORY", "DISK", "PROCS", "NET RX", "NET TX", "SOURCE"};

        private static String[] row(MetricsSample s) {
            return new String[] {TIME.format(s.at()) + String.format(":%02d", s.at().atZone(ZoneId.systemDefault()).getSecond()),
                    s.cpuPercent() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", s.cpuPercent()),
                    ofLimit(s.memoryBytes(), s.memoryLimitBytes()), ofLimit(s.diskBytes(), s.diskLimitBytes()),
                    s.processes() < 0 ? "-" : Integer.toString(s.processes()), size(s.networkRxBytes()), size(s.networkTxBytes()),
                    s.source()};
        }

        private static String ofLimit(long used, long limit) {
            return size(used) + (limit < 0 ? "" : " / " + size(limit));
        }

        private static String size(long bytes) {
            if (bytes < 0) {
                return "-";
            }
            return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                    : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
    }
}
