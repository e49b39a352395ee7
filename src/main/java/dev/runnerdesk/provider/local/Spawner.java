package dev.runnerdesk.provider.local;

import dev.runnerdesk.core.RunnerException;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts every process of the local sandbox (bubblewrap, the egress relay) from one thread that lives as long
 * as RunnerDesk: bubblewrap's --die-with-parent and the relay's PR_SET_PDEATHSIG fire when the <em>thread</em>
 * that started them ends, and a pool thread that opened a terminal may end long before the terminal should.
 */
final class Spawner {
    private Spawner() {
    }

    /** A start of a process, which may fail as ProcessBuilder's does. */
    interface Start<T extends Process> {
        T start() throws IOException;
    }

    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "runnerdesk-sandbox-spawner");
        t.setDaemon(true);
        return t;
    });

    static <T extends Process> T spawn(Start<T> start) throws IOException {
        try {
            return SPAWNER.submit(start::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new RunnerException.Unavailable("cannot start the sandbox: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerException.Unavailable("interrupted while starting the sandbox");
        }
    }
}
