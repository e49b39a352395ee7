package dev.runnerdesk.cli;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.WireFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code runnerdesk runners …}: the seed's {@code curate runners} commands. */
@Command(name = "runners", description = "Create, run and inspect runners.", mixinStandardHelpOptions = true,
        subcommands = {RunnersCommand.Create.class, RunnersCommand.ListRunners.class, RunnersCommand.Get.class,
                RunnersCommand.Start.class, RunnersCommand.Exec.class, RunnersCommand.Events.class,
                RunnersCommand.Stream.class, RunnersCommand.Stop.class, RunnersCommand.Terminate.class, FilesCommand.class,
                FilesCommand.Stats.class})
final class RunnersCommand {

    /** Shared shape of every subcommand: open the backend, run, print as table or JSON. */
    abstract static class Base extends BackendCommand {
        @Override
        public Integer call() {
            try (ConnectionOptions.Opened b = connection.open()) {
                return run(b);
            }
        }

        abstract int run(ConnectionOptions.Opened b);
    }

    @Command(name = "create", description = "Create a runner.", mixinStandardHelpOptions = true)
    static final class Create extends Base {
        @Option(names = "--provider", defaultValue = "fake", description = "fake, local, e2b, claude_computer_use (default: ${DEFAULT-VALUE}).")
        String provider;
        @Option(names = "--profile", defaultValue = "locked", description = "locked, web_automation, full_vm_tools (default: ${DEFAULT-VALUE}).")
        String profile;
        @Option(names = "--ttl", defaultValue = "" + CreateRunnerRequest.DEFAULT_TTL_SECONDS, description = "Lifetime in seconds, "
                + CreateRunnerRequest.MIN_TTL_SECONDS + "–" + CreateRunnerRequest.MAX_TTL_SECONDS + " (default: ${DEFAULT-VALUE}).")
        int ttl;
        @Option(names = "--image", description = "Image or template reference, for providers that take one.")
        String image;

        @Override
        int run(ConnectionOptions.Opened b) {
            Runner r = b.service().create(new CreateRunnerRequest(ProviderType.fromWire(provider),
                    ToolProfile.fromWire(profile), ttl, Optional.ofNullable(image)));
            if (connection.json) {
                json(WireFormat.runner(r));
            } else {
                Tables.runners(out(), List.of(r), Instant.now());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List runners, newest first.", mixinStandardHelpOptions = true)
    static final class ListRunners extends Base {
        @Option(names = "--state", description = "Only runners in this state.")
        String state;
        @Option(names = "--limit", defaultValue = "" + RunnerQuery.DEFAULT_LIMIT, description = "At most this many, 1–"
                + RunnerQuery.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--offset", defaultValue = "0", description = "Skip this many.")
        int offset;

        @Override
        int run(ConnectionOptions.Opened b) {
            Optional<RunnerState> filter = Optional.ofNullable(state).map(RunnerState::fromWire);
            RunnerPage page = b.service().list(new RunnerQuery(filter, limit, offset));
            if (connection.json) {
                json(WireFormat.runnerPage(page));
            } else if (page.runners().isEmpty()) {
                out().println(page.total() == 0 ? "No runners yet. Create one: runnerdesk runners create --provider fake"
                        : "No runners on this page (" + page.total() + " in all).");
            } else {
                Tables.runners(out(), page.runners(), Instant.now());
                if (page.total() > page.runners().size()) {
                    out().println("(" + page.runners().size() + " of " + page.total() + "; see --limit and --offset)");
                }
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Show one runner.", mixinStandardHelpOptions = true)
    static final class Get extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;

        @Override
        int run(ConnectionOptions.Opened b) {
            Runner r = b.service().get(runnerId);
            if (connection.json) {
                json(WireFormat.runner(r));
            } else {
                Tables.runners(out(), List.of(r), Instant.now());
                r.error().ifPresent(e -> out().println("error: " + e));
            }
            return 0;
        }
    }

    @Command(name = "start", description = "Start a session on a ready runner.", mixinStandardHelpOptions = true)
    static final class Start extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Option(names = "--ttl", description = "The session's own lifetime in seconds (ttl_override).")
        Integer ttl;

        @Override
        int run(ConnectionOptions.Opened b) {
            Session s = b.service().startSession(runnerId, Optional.ofNullable(ttl));
            if (connection.json) {
                json(WireFormat.session(s));
            } else {
                out().println("Session " + s.sessionId() + " started on " + s.runnerId() + " (until " + s.expiresAt() + ")");
                out().println("Run a command: runnerdesk runners exec " + s.runnerId() + " " + s.sessionId() + " -- echo hello");
            }
            return 0;
        }
    }

    @Command(name = "exec", description = {"Run a command in a session and print its output.",
            "Options go before RUNNER or before `--`; everything after `--` is the command.",
            "Exits with the command's exit status (124 when it timed out)."},
            mixinStandardHelpOptions = true)
    static final class Exec extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "SESSION")
        String sessionId;
        @Parameters(index = "2..*", paramLabel = "ARGV", description = "The command and its arguments.")
        List<String> argv = new ArrayList<>();
        @Option(names = "--timeout", defaultValue = "" + ExecRequest.DEFAULT_TIMEOUT_SECONDS, description = "Seconds before the command is killed (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        int run(ConnectionOptions.Opened b) {
            ExecResult r = b.service().exec(runnerId, sessionId, new ExecRequest(argv, timeout));
            if (connection.json) {
                json(WireFormat.execResult(r));
                return 0;
            }
            out().print(r.stdout());
            if (!r.stdout().isEmpty() && !r.stdout().endsWith("\n")) {
                out().println();
            }
            out().flush();
            PrintWriter err = spec.commandLine().getErr();
            err.print(r.stderr());
            if (r.truncated()) {
                err.println("[output truncated at the profile's cap]");
            }
            if (r.oom()) {
                err.println("[killed: out of memory (the profile's memory limit)]");
            }
            if (r.timedOut()) {
                err.println("[timed out after " + timeout + " s]");
                err.flush();
                return 124;
            }
            err.flush();
            return r.exitCode();
        }
    }

    @Command(name = "events", description = "Show a runner's audit events (oldest of the page first).", mixinStandardHelpOptions = true)
    static final class Events extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Option(names = "--limit", defaultValue = "" + EventQuery.DEFAULT_LIMIT, description = "The newest N events, 1–"
                + EventQuery.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--before", description = "Only events before this seq (for paging back).")
        Long before;

        @Override
        int run(ConnectionOptions.Opened b) {
            var page = b.service().events(new EventQuery(Optional.of(runnerId), limit, Optional.ofNullable(before)));
            if (connection.json) {
                json(WireFormat.eventPage(runnerId, page));
            } else {
                List<AuditEvent> ascending = new ArrayList<>(page.events());
                Collections.reverse(ascending);
                Tables.events(out(), ascending);
                if (page.total() > ascending.size()) {
                    out().println("(" + ascending.size() + " of " + page.total() + " events; see --limit and --before)");
                }
            }
            return 0;
        }
    }

    @Command(name = "stream", description = "Follow a runner's live events until Ctrl+C.", mixinStandardHelpOptions = true)
    static final class Stream extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Option(names = "--since", defaultValue = "-1", paramLabel = "SEQ",
                description = "Replay the events after this seq first (0 = all; default: only new ones).")
        long since;
        @Option(names = "--count", description = "Stop after this many events.")
        Integer count;

        @Override
        int run(ConnectionOptions.Opened b) {
            b.service().get(runnerId);
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger seen = new AtomicInteger();
            PrintWriter out = out();
            if (!connection.json) {
                out.println("Following " + runnerId + " (Ctrl+C to stop)");
                out.flush();
            }
            try (Subscription ignored = b.service().subscribe(Optional.of(runnerId), since, event -> {
                synchronized (out) {
                    out.println(connection.json ? Json.write(WireFormat.event(event)) : Tables.eventLine(event));
                    out.flush();
                }
                if (count != null && seen.incrementAndGet() >= count) {
                    done.countDown();
                }
            })) {
                b.followOtherProcesses();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop a session.", mixinStandardHelpOptions = true)
    static final class Stop extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Parameters(index = "1", paramLabel = "SESSION")
        String sessionId;

        @Override
        int run(ConnectionOptions.Opened b) {
            Session s = b.service().stopSession(runnerId, sessionId);
            if (connection.json) {
                json(WireFormat.session(s));
            } else {
                out().println("Session " + s.sessionId() + " stopped; runner " + s.runnerId() + " is ready again.");
            }
            return 0;
        }
    }

    @Command(name = "terminate", description = "Terminate a runner for good (asks first unless --yes).", mixinStandardHelpOptions = true)
    static final class Terminate extends Base {
        @Parameters(index = "0", paramLabel = "RUNNER")
        String runnerId;
        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        int run(ConnectionOptions.Opened b) {
            if (!yes) {
                Console console = System.console();
                if (console == null) {
                    spec.commandLine().getErr().println("error: terminating " + runnerId
                            + " cannot be undone; add --yes to confirm");
                    return 2;
                }
                String answer = console.readLine("Terminate %s? Its sessions end and its sandbox is deleted. [y/N] ", runnerId);
                if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                    out().println("Not terminated.");
                    return 1;
                }
            }
            Runner r = b.service().terminate(runnerId);
            if (connection.json) {
                json(WireFormat.runner(r));
            } else {
                out().println("Runner " + r.runnerId() + " terminated.");
            }
            return 0;
        }
    }
}
