package dev.runnerdesk.bench;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The installed app against a hello-world JavaFX window on the same runtime: builds the .deb
 * ({@code packaging/build.sh deb}, AppCDS archive trained at /opt/runnerdesk), installs it, measures, removes
 * it — as {@code packaging/smoke-linux.sh} does. The hello world runs on the package's own {@code lib/runtime}
 * with the package's JavaFX jars and an AppCDS archive of its own, and reports its first frame the way
 * {@code --smoke} does.
 */
final class PackagedApp {
    static final Path INSTALLED = Path.of("/opt/runnerdesk");
    private static final String HELLO_MAIN = HelloFx.Launcher.class.getName();
    private static final int RUNNERS = 1_000;
    private static final long IDLE_SECONDS = 10;

    private final Path basedir;
    private final Path out;
    private final String display;
    private final Path log;

    PackagedApp(Path basedir, Path out, String display) {
        this.basedir = basedir;
        this.out = out;
        this.display = display;
        this.log = out.resolve("packaged-app.log");
    }

    /** Why this machine cannot measure the packaged app, if it cannot. */
    static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().startsWith("linux")) {
            return "the packaged-app figures are measured on Linux (.deb) only";
        }
        for (String tool : List.of("jpackage", "dpkg-deb", "fakeroot", "apt-get", "xwininfo")) {
            if (!Timing.onPath(tool)) {
                return tool + " is missing (scripts/bench.sh installs what the benchmarks need)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "installing the .deb needs root (run scripts/bench.sh as root)";
        }
        if (Files.exists(INSTALLED)) {
            return INSTALLED + " exists (another RunnerDesk install): remove it first (apt-get remove runnerdesk)";
        }
        return null;
    }

    /** [first frame, idle RSS] */
    List<Figure> measure() throws Exception {
        Files.deleteIfExists(log);
        Timing.run(List.of("bash", "packaging/build.sh", "deb"), log, 1_200, "DISPLAY", display);
        Path deb;
        try (Stream<Path> dist = Files.list(basedir.resolve("target/dist"))) {
            deb = dist.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("packaging/build.sh made no .deb (log: " + log + ")"));
        }
        // the package's post-install registers the menu entry with xdg-utils, which expects these folders
        for (String dir : List.of("/usr/share/applications", "/usr/share/desktop-directories", "/etc/xdg/menus")) {
            Files.createDirectories(Path.of(dir));
        }
        Timing.run(List.of("apt-get", "install", "-y", "-qq", deb.toAbsolutePath().toString()), log, 300,
                "DEBIAN_FRONTEND", "noninteractive");
        try {
            return measureInstalled();
        } finally {
            Timing.run(List.of("apt-get", "remove", "-y", "-qq", "runnerdesk"), log, 300, "DEBIAN_FRONTEND", "noninteractive");
        }
    }

    private List<Figure> measureInstalled() throws Exception {
        Path launcher = INSTALLED.resolve("bin/RunnerDesk");
        List<String> hello = helloCommand();
        double ours = Timing.median("first frame, installed app with AppCDS (ms)", 1, 5,
                () -> firstFrame(List.of(launcher.toString(), "--smoke"), "smoke: ok"));
        double floor = Timing.median("first frame, hello world on the same runtime (ms)", 1, 5, () -> firstFrame(hello, null));
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.ratioAtMost("first frame (JVM start → window shown)", ours, floor, "ms",
                "hello-world JavaFX window, same runtime, AppCDS", 1.3, "median of 5, installed .deb, Xvfb, software rendering"));
        try {
            figures.add(idleMemory(launcher, hello));
        } catch (Exception e) {
            e.printStackTrace(System.out);
            figures.add(Figure.notMeasured("idle resident memory, 1,000 runners", "failed: " + e));
        }
        return figures;
    }

    private Figure idleMemory(Path launcher, List<String> hello) throws Exception {

        Path data = out.resolve("rss-data").toAbsolutePath();
        fillRunners(data);
        List<String> app = List.of(launcher.toString(), "--data-dir", data.toString());
        List<String> helloStay = new ArrayList<>(hello);
        helloStay.add("--stay");
        double oursMb = Timing.median("idle RSS, installed app with 1,000 runners (MB)", 0, 3, () -> idleRss(app, "RunnerDesk"));
        double floorMb = Timing.median("idle RSS, hello world (MB)", 0, 3, () -> idleRss(helloStay, "Hello"));
        return Figure.differenceAtMost("idle resident memory, 1,000 runners", oursMb, floorMb, "MB",
                "hello-world window", 120, "VmRSS " + IDLE_SECONDS + " s after the window showed, median of 3");
    }

    /** The hello world on the installed runtime with the installed JavaFX jars, and an AppCDS archive trained once. */
    private List<String> helloCommand() throws Exception {
        Path dir = Files.createDirectories(out.resolve("hello"));
        Path jar = dir.resolve("hello.jar");
        Path classes = Path.of(HelloFx.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(classes.resolve("dev/runnerdesk/bench"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("HelloFx")).toList()) {
                j.putNextEntry(new JarEntry("dev/runnerdesk/bench/" + f.getFileName()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        StringBuilder cp = new StringBuilder(jar.toString());
        try (Stream<Path> jars = Files.list(INSTALLED.resolve("lib/app"))) {
            jars.filter(p -> p.getFileName().toString().startsWith("javafx-")).sorted().forEach(p -> cp.append(':').append(p));
        }
        String java = INSTALLED.resolve("lib/runtime/bin/java").toString();
        Path jsa = dir.resolve("hello.jsa");
        Files.deleteIfExists(jsa);
        Timing.run(List.of(java, "-XX:ArchiveClassesAtExit=" + jsa, "-cp", cp.toString(), HELLO_MAIN), log, 120, "DISPLAY", display);
        return List.of(java, "-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-cp", cp.toString(), HELLO_MAIN);
    }

    private double firstFrame(List<String> command, String okLine) throws Exception {
        Path home = Files.createTempDirectory("bench-home");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || (okLine != null && !output.contains(okLine))
                || output.contains("Unable to use shared archive")) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output.lines().filter(l -> l.startsWith("first-frame-ms=")).mapToDouble(l -> Double.parseDouble(l.substring(15)))
                .findFirst().orElseThrow(() -> new IOException("no first-frame time in:\n" + output));
    }

    /** Starts the program, waits for its window, then {@value #IDLE_SECONDS} s more; its VmRSS in MB. */
    private double idleRss(List<String> command, String title) throws Exception {
        Path home = Files.createTempDirectory("bench-home");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("DISPLAY", display);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!windowShown(title)) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IOException("no window \"" + title + "\" from " + String.join(" ", command) + " (log: " + log + ")");
                }
                Thread.sleep(100);
            }
            Thread.sleep(IDLE_SECONDS * 1000);
            // the launcher execs nothing: the JVM is the process itself
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            throw new IOException("no VmRSS for " + p.pid());
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private boolean windowShown(String title) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("xwininfo", "-root", "-tree").redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process x = pb.start();
        String tree = new String(x.getInputStream().readAllBytes());
        x.waitFor();
        // the main window, not JavaFX's 10×10 helper window of the same name
        return tree.lines().anyMatch(l -> l.contains("\"" + title + "\"") && !l.contains("10x10+"));
    }

    private static void fillRunners(Path data) {
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(data)) {
            RunnerService service = runtime.serviceFor(Principal.localUser());
            for (int i = 0; i < RUNNERS; i++) {
                service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 86_400));
            }
        }
    }
}
