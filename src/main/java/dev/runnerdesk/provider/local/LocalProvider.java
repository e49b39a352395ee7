package dev.runnerdesk.provider.local;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.policy.EgressRule;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.provider.WorkspaceFiles;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Real commands on this computer, each runner in its own bubblewrap sandbox with a private workspace.
 * Without bubblewrap (or user namespaces) it is unavailable, with the reason and the fix; it never runs
 * anything unsandboxed. As root it is unavailable unless {@value #ALLOW_ROOT} is set: the sandbox's files
 * would belong to root on this computer, and the kernel does not apply the process limit to root.
 */
public final class LocalProvider implements SandboxProvider {
    private static final System.Logger LOG = System.getLogger(LocalProvider.class.getName());
    private static final Pattern SAFE_REF = Pattern.compile("runner_[A-Za-z0-9]+");
    /** The environment variable (or system property {@code runnerdesk.local.allowRoot}) that accepts running as root. */
    static final String ALLOW_ROOT = "RUNNERDESK_LOCAL_AS_ROOT";

    private final Path sandboxesDir;
    /** Probed in the background: starting bwrap once takes a while, and opening the data dir need not wait for it. */
    private final CompletableFuture<ProviderInfo> availability;
    private final Bubblewrap bubblewrap;
    /** How limits are enforced here; probed with the rest, in the background (it tries a real cgroup). */
    private volatile SandboxLimits limits;
    private volatile SandboxLauncher launcher;
    /** The seccomp filters, each written to a file the first time a sandbox needs it. */
    private volatile SeccompFiles seccomp;
    private volatile WorkspaceHolder holders;
    /** The processes running in each sandbox and session, so ending either ends them. */
    private final SandboxProcesses processes = new SandboxProcesses();
    private volatile Events events = (runnerId, sessionId, type, data) -> { };
    private final LocalWatches watches = new LocalWatches();
    private final LocalMetrics metrics = new LocalMetrics(Clock.systemUTC());

    public LocalProvider(Path dataDir) {
        // absolute: bwrap runs in the workspace, where a relative --data-dir would name nothing
        this.sandboxesDir = dataDir.toAbsolutePath().resolve("sandboxes");
        Path bwrap = Bubblewrap.findProgram("bwrap").orElse(null);
        this.availability = CompletableFuture.supplyAsync(() -> probe(bwrap), LocalProvider::probeThread);
        this.bubblewrap = bwrap == null ? null : new Bubblewrap(bwrap);
        System.setProperty("pty4j.tmpdir", dataDir.toAbsolutePath().resolve("tmp").toString());
    }

    private static void probeThread(Runnable probe) {
        Thread t = new Thread(probe, "runnerdesk-bwrap-probe");
        t.setDaemon(true);
        t.start();
    }

    private ProviderInfo probe(Path bwrap) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return ProviderInfo.unavailable(ProviderType.LOCAL, "the local sandbox needs Linux (bubblewrap); on this system"
                    + " use the e2b provider or a gateway");
        }
        if (bwrap == null) {
            return ProviderInfo.unavailable(ProviderType.LOCAL, "bubblewrap is not installed: install it"
                    + " (sudo apt-get install bubblewrap, or dnf install bubblewrap) and restart RunnerDesk");
        }
        if (isRoot() && !rootAccepted()) {
            return ProviderInfo.unavailable(ProviderType.LOCAL, "RunnerDesk runs as root: what a sandbox writes would belong"
                    + " to root on this computer, and the kernel does not hold root to a sandbox's process limit. Run"
                    + " RunnerDesk as an ordinary user; to accept this anyway (a container, CI), set " + ALLOW_ROOT + "=1");
        }
        try {
            launcher = SandboxLauncher.find();
            seccomp = SeccompFiles.forThisMachine(sandboxesDir);
            tightenSandboxFolders();
            limits = SandboxLimits.probe("runnerdesk");
            holders = WorkspaceHolder.find();
        } catch (RunnerException.Unavailable e) {
            return ProviderInfo.unavailable(ProviderType.LOCAL, e.getMessage());
        } catch (IOException e) {
            return ProviderInfo.unavailable(ProviderType.LOCAL, "cannot prepare the sandboxes' folder: " + e.getMessage());
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(bwrap.toString(), "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true")
                    .redirectErrorStream(true);
            builder.environment().clear();
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return ProviderInfo.unavailable(ProviderType.LOCAL, "bubblewrap cannot create a sandbox here"
                        + (out.isEmpty() ? "" : " (" + out + ")") + ": user namespaces may be off; enable them"
                        + " (sysctl kernel.unprivileged_userns_clone=1) or ask your administrator");
            }
        } catch (IOException e) {
            return ProviderInfo.unavailable(ProviderType.LOCAL, "bubblewrap could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderInfo.unavailable(ProviderType.LOCAL, "interrupted while checking bubblewrap");
        }
        return ProviderInfo.available(ProviderType.LOCAL, true);
    }

    /** The runners' folders an older version left readable by others are made the user's alone (not what is in a workspace). */
    private void tightenSandboxFolders() throws IOException {
        if (!Files.isDirectory(sandboxesDir)) {
            return;
        }
        try (var folders = Files.newDirectoryStream(sandboxesDir, p -> SAFE_REF.matcher(p.getFileName().toString()).matches()
                && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path folder : folders) {
                Bubblewrap.SandboxDirs.of(folder).makePrivate();
            }
        }
    }

    static boolean isRoot() {
        return SandboxLimits.currentUid() == 0;
    }

    private static boolean rootAccepted() {
        String value = System.getProperty("runnerdesk.local.allowRoot", System.getenv(ALLOW_ROOT));
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    @Override
    public Map<ToolProfile, String> isolation(Policies policies) {
        Map<ToolProfile, String> byProfile = new EnumMap<>(ToolProfile.class);
        policies.profiles().forEach((profile, policy) -> byProfile.put(profile, LocalIsolation.describe(policy, limits)));
        return byProfile;
    }

    /**
     * The full command line of a sandbox: the launcher, then bubblewrap. Every process it starts gets no
     * environment from this one; the sandbox's own is set with --setenv.
     */
    private List<String> sandboxCommand(Bubblewrap.SandboxDirs dirs, ProfilePolicy policy, Bubblewrap.Mode mode,
                                        SandboxLimits.Group group, List<String> argv) {
        try {
            dirs.ensure();
        } catch (IOException e) {
            throw new RunnerException.Unavailable("cannot prepare the sandbox's folders: " + e.getMessage(), e);
        }
        boolean restricted = !policy.allowsEveryCommand();
        long holder = holders.ensure(dirs, policy.limits());
        List<String> bwrap = bubblewrap.command(dirs, policy, mode, true, argv);
        return launcher.command(dirs, holder, restricted, policy.limits(), group, seccomp.fileFor(policy), bwrap);
    }

    @Override
    public ProviderType type() {
        return ProviderType.LOCAL;
    }

    @Override
    public void attach(Events providerEvents) {
        this.events = providerEvents;
    }

    private static boolean proxied(ProfilePolicy policy) {
        return policy.networkMode() == NetworkMode.ALLOWLIST;
    }

    /** Starts the egress proxy inside the sandbox of {@code bwrapPid}; blocked attempts become audit events. */
    private EgressProxy.Listener egress(String ref, long bwrapPid, ProfilePolicy policy) {
        List<EgressRule> rules = new ArrayList<>();
        for (String entry : policy.egressAllowlist()) {
            try {
                rules.add(EgressRule.parse(entry));
            } catch (RunnerException.InvalidRequest e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; ignored");
            }
        }
        return EgressProxy.open(bwrapPid, rules, (host, port) -> events.record(ref, null, EventTypes.EGRESS_BLOCKED,
                Map.of("host", host, "port", port)), dirs(ref).root());
    }

    @Override
    public ProviderInfo probe() {
        return availability.join();
    }

    private void requireAvailable() {
        ProviderInfo info = probe();
        if (!info.available()) {
            throw new RunnerException.Unavailable(info.unavailableReason().orElse("the local provider is unavailable"));
        }
    }

    private Bubblewrap.SandboxDirs dirs(String ref) {
        if (!SAFE_REF.matcher(ref).matches()) {
            throw new RunnerException.InvalidRequest("sandbox", "not a local sandbox: " + ref);
        }
        return Bubblewrap.SandboxDirs.of(sandboxesDir.resolve(ref));
    }

    @Override
    public String create(SandboxSpec spec) {
        requireAvailable();
        String ref = spec.runnerId();
        Bubblewrap.SandboxDirs dirs = dirs(ref);
        try {
            dirs.create();
            holders.ensure(dirs, spec.policy().limits());
        } catch (IOException | RuntimeException e) {
            destroy(ref);
            throw e instanceof RunnerException r ? r
                    : new RunnerException.Unavailable("cannot create the workspace of " + ref + ": " + e.getMessage(), e);
        }
        return ref;
    }

    @Override
    public ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output) {
        requireAvailable();
        String ref = call.sandboxRef();
        Bubblewrap.SandboxDirs dirs = dirs(ref);
        if (!Files.isDirectory(dirs.workspace())) {
            throw new RunnerException.Conflict("the workspace of " + ref + " is gone; the runner was ended");
        }
        SandboxLimits.Group group = limits.create(ref + "-" + call.commandId(), policy.limits());
        boolean proxied = proxied(policy);
        Process process;
        try {
            List<String> command = sandboxCommand(dirs, policy, Bubblewrap.Mode.EXEC, group, request.argv());
            ProcessBuilder builder = new ProcessBuilder(command).directory(dirs.workspace().toFile());
            builder.environment().clear();
            if (!proxied) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            process = Spawner.spawn(builder::start);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e instanceof RunnerException r ? r : new RunnerException.Unavailable("cannot start bubblewrap: " + e.getMessage(), e);
        }
        processes.startedCommand(ref, call.sessionId(), process);
        EgressProxy.Listener proxy = null;
        if (proxied) {
            try {
                proxy = egress(ref, process.pid(), policy);
                process.getOutputStream().write(1); // --block-fd 0: the command may start now
                process.getOutputStream().close();
            } catch (IOException | RuntimeException e) {
                SandboxProcesses.kill(process);
                processes.ended(ref, call.sessionId(), process);
                group.close();
                if (proxy != null) {
                    proxy.close();
                }
                throw e instanceof RunnerException r ? r : new RunnerException.Unavailable("cannot start the command: " + e.getMessage());
            }
        }
        OutputCapture out = new OutputCapture(process.getInputStream(), OutputListener.Stream.STDOUT, output, policy.outputCapBytes());
        OutputCapture err = new OutputCapture(process.getErrorStream(), OutputListener.Stream.STDERR, output, policy.outputCapBytes());
        Thread outReader = reader(out, ref + "-stdout");
        Thread errReader = reader(err, ref + "-stderr");
        boolean timedOut = false;
        try {
            if (!process.waitFor(request.timeoutSeconds(), TimeUnit.SECONDS)) {
                timedOut = true;
                SandboxProcesses.kill(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            outReader.join(10_000);
            errReader.join(10_000);
        } catch (InterruptedException e) {
            SandboxProcesses.kill(process);
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while the command ran");
        } finally {
            processes.ended(ref, call.sessionId(), process);
            if (proxy != null) {
                proxy.close();
            }
        }
        boolean oom = group.oomKilled();
        group.close(); // also ends what the command left running in its cgroup
        int exit = timedOut ? 124 : process.exitValue();
        return new ExecOutcome(exit, out.text(), err.text(), timedOut, out.truncated() || err.truncated(), oom);
    }

    private static Thread reader(Runnable capture, String name) {
        Thread t = new Thread(capture, "runnerdesk-exec-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public Terminal openTerminal(String ref, ProfilePolicy policy, TerminalSize size, TerminalListener listener) {
        requireAvailable();
        Bubblewrap.SandboxDirs dirs = dirs(ref);
        String shell = Bubblewrap.shell().map(p -> p.getFileName().toString()).orElseThrow(
                () -> new RunnerException.Unavailable("no shell (bash or sh) on this computer to open a terminal with"));
        List<String> argv = shell.equals("bash") ? List.of("/usr/bin/bash", "-l") : List.of("/usr/bin/sh", "-l");
        boolean proxied = proxied(policy);
        String marker = "egress-ready-" + UUID.randomUUID();
        if (proxied) {
            // the shell starts once the host says the proxy listens (a PTY has no stdin to block on)
            List<String> wrapped = new ArrayList<>(List.of("/usr/bin/sh", "-c",
                    "while [ ! -e " + Bubblewrap.SIGNALS + "/" + marker + " ]; do sleep 0.05; done; exec \"$@\"", "sh"));
            wrapped.addAll(argv);
            argv = wrapped;
        }
        SandboxLimits.Group group = limits.create(ref + "-pty-" + marker.substring(marker.length() - 12), policy.limits());
        PtyProcess process;
        try {
            List<String> command = sandboxCommand(dirs, policy, Bubblewrap.Mode.PTY, group, argv);
            PtyProcessBuilder builder = new PtyProcessBuilder(command.toArray(String[]::new))
                    .setEnvironment(Map.of())
                    .setDirectory(dirs.workspace().toString())
                    .setInitialColumns(size.columns()).setInitialRows(size.rows())
                    .setRedirectErrorStream(true);
            process = Spawner.spawn(builder::start);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e instanceof RunnerException r ? r : new RunnerException.Unavailable("cannot start a terminal: " + e.getMessage(), e);
        }
        processes.startedShell(ref, process);
        EgressProxy.Listener proxy = null;
        if (proxied) {
            try {
                proxy = egress(ref, process.pid(), policy);
                Files.createFile(dirs.signals().resolve(marker));
            } catch (IOException | RuntimeException e) {
                SandboxProcesses.kill(process);
                processes.ended(ref, null, process);
                group.close();
                if (proxy != null) {
                    proxy.close();
                }
                throw e instanceof RunnerException r ? r : new RunnerException.Unavailable("cannot start the terminal: " + e.getMessage());
            }
        }
        EgressProxy.Listener proxyToClose = proxy;
        PtyTerminal terminal = new PtyTerminal(process, listener, () -> {
            processes.ended(ref, null, process);
            group.close();
            if (proxyToClose != null) {
                proxyToClose.close();
            }
            try {
                Files.deleteIfExists(dirs.signals().resolve(marker));
            } catch (IOException ignored) {
                // the sandbox folder may be gone already
            }
        });
        terminal.start(ref);
        return terminal;
    }

    /** The runner's workspace through its holder, every path opened beneath it ({@link LocalWorkspaceFiles}). */
    @Override
    public WorkspaceFiles files(String ref) {
        requireAvailable();
        Bubblewrap.SandboxDirs d = dirs(ref);
        return new LocalWorkspaceFiles(() -> WorkspaceHolder.liveWorkspace(d).orElseThrow(() -> new RunnerException.Conflict(
                "the workspace of " + ref + " is gone; the runner was ended")), false, watches);
    }

    @Override
    public Optional<MetricsSample> sample(String ref, ProfilePolicy policy) {
        if (!probe().available()) {
            return Optional.empty();
        }
        Bubblewrap.SandboxDirs d = dirs(ref);
        long[] disk = WorkspaceHolder.liveWorkspace(d).map(LocalWorkspaceFiles::usage).orElse(new long[]{-1, -1});
        return Optional.of(metrics.sample(ref, policy, limits, processes.pids(ref), disk));
    }

    @Override
    public void endSession(String sandboxRef, String sessionId) {
        processes.endSession(sessionId);
    }

    @Override
    public void destroy(String ref) {
        processes.endSandbox(ref);
        metrics.forget(ref);
        Bubblewrap.SandboxDirs dirs = dirs(ref);
        WorkspaceHolder.stop(dirs);
        Path root = dirs.root();
        if (Files.exists(root)) {
            try {
                WorkspaceHolder.deleteTree(root);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove the workspace " + root, e);
            }
        }
    }

    /** Runners whose workspace is gone: its folder was deleted, or its holder ended (the computer restarted). */
    @Override
    public Map<String, String> missing(Collection<String> sandboxRefs) {
        Map<String, String> gone = new HashMap<>();
        for (String ref : sandboxRefs) {
            if (SAFE_REF.matcher(ref).matches()) {
                WorkspaceHolder.lost(dirs(ref)).ifPresent(reason -> gone.put(ref, reason));
            }
        }
        return gone;
    }

    /** Ends the commands and shells; the workspaces' holders stay, for the next start (or the CLI's next command). */
    @Override
    public void close() {
        processes.endAll();
        watches.close();
    }
}
