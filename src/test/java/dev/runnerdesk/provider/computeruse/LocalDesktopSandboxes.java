package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.provider.SandboxSpec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Desktops on this computer ({@link LocalDesktop}), one per runner, for the provider's tests. */
final class LocalDesktopSandboxes implements DesktopSandboxes {
    private final FakeDesktopTools tools;
    private final Path workDir;
    final Set<String> live = ConcurrentHashMap.newKeySet();

    LocalDesktopSandboxes(FakeDesktopTools tools, Path workDir) {
        this.tools = tools;
        this.workDir = workDir;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public String create(SandboxSpec spec) {
        String ref = "desk-" + spec.runnerId();
        live.add(ref);
        return ref;
    }

    @Override
    public Desktop desktop(String ref) {
        if (!live.contains(ref)) {
            throw new RunnerException.Conflict("no desktop " + ref);
        }
        return new LocalDesktop(tools, workDir);
    }

    @Override
    public void destroy(String ref) {
        live.remove(ref);
    }
}
