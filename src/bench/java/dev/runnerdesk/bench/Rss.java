package dev.runnerdesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A child process's peak resident memory: {@code VmHWM} of {@code /proc/<pid>/status}, read every 20 ms while it runs. */
final class Rss {
    private Rss() {
    }

    /** A finished process's peak RSS (KiB) and its CPU time (s) as last seen before it ended. */
    record Usage(long peakKib, double cpuSeconds) {
    }

    /** Polls until the process ends (or {@code timeoutSeconds}, then kills it and fails); returns its peak RSS and CPU time. */
    static Usage watch(Process p, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long peak = 0;
        double cpu = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, hwmKib(p.pid()));
            cpu = Math.max(cpu, cpuSeconds(p.pid()));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("process " + p.pid() + " did not finish in " + timeoutSeconds + " s");
            }
        }
        return new Usage(peak, cpu);
    }

    /** User and system CPU time of a live process in seconds (from {@code /proc/<pid>/stat}), 0 once it is gone. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100 on Linux)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A watch of a long-lived process on a daemon thread of its own. */
    static Watch background(Process p) {
        Watch w = new Watch(p);
        Thread t = new Thread(w::run, "rss-" + p.pid());
        t.setDaemon(true);
        t.start();
        return w;
    }

    static final class Watch {
        private final Process process;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean stopped;

        private Watch(Process process) {
            this.process = process;
        }

        private void run() {
            try {
                while (!stopped && !process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    long now = hwmKib(process.pid());
                    peak.accumulateAndGet(now, Math::max);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long peakKib() {
            return peak.get();
        }

        void stop() {
            stopped = true;
        }
    }

    /** VmHWM in KiB, 0 once the process is gone. */
    static long hwmKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // ended between the poll and the read
        }
        return 0;
    }
}
