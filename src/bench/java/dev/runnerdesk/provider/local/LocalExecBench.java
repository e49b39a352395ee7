package dev.runnerdesk.provider.local;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code exec ["true"]} on a local (bubblewrap) runner of the locked profile through the service, against the
 * same bwrap command line — as {@link Bubblewrap} builds it for that runner — started directly. In this package
 * to reach the command builder.
 */
@State(Scope.Benchmark)
public class LocalExecBench {
    @Param("target/bench/work")
    public String workDir;

    private EmbeddedRuntime runtime;
    private RunnerService service;
    private String runnerId;
    private String sessionId;
    private ProcessBuilder direct;
    private final ExecRequest truth = new ExecRequest(List.of("true"), 30);

    @Setup
    public void start() throws IOException {
        Path dataDir = Files.createDirectories(Path.of(workDir)).toAbsolutePath().resolve("local-" + System.nanoTime());
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
        ProviderInfo local = service.providers().stream().filter(p -> p.type() == ProviderType.LOCAL).findFirst().orElseThrow();
        if (!local.available()) {
            throw new IllegalStateException(local.unavailableReason().orElse("the local provider is unavailable"));
        }
        runnerId = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.LOCKED, 3600)).runnerId();
        sessionId = service.startSession(runnerId, Optional.empty()).sessionId();
        Bubblewrap.SandboxDirs dirs = Bubblewrap.SandboxDirs.of(dataDir.resolve("sandboxes").resolve(runnerId));
        List<String> argv = new Bubblewrap(Bubblewrap.findProgram("bwrap").orElseThrow())
                .command(dirs, service.policies().profile(ToolProfile.LOCKED), Bubblewrap.Mode.EXEC, false, List.of("true"));
        direct = new ProcessBuilder(argv).directory(dirs.workspace().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    @TearDown
    public void stop() {
        runtime.close();
    }

    @Benchmark
    public ExecResult ours() {
        ExecResult r = service.exec(runnerId, sessionId, truth);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("true exited " + r.exitCode() + ": " + r.stderr());
        }
        return r;
    }

    @Benchmark
    public int floor() throws IOException, InterruptedException {
        int code = direct.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("bwrap … true exited " + code);
        }
        return code;
    }
}
