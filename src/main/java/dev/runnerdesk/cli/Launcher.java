package dev.runnerdesk.cli;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The jar's entry: puts JavaFX on the module path before the program starts. {@code java -jar} has only a classpath,
 * and JavaFX loaded from one warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" (it
 * is only tested as modules). So, when the jar runs with its {@code lib/} folder beside it, JavaFX's jars become
 * a module layer and the program runs in a class loader above that layer; where JavaFX is a module already
 * ({@code ./mvnw javafx:run}, a jpackage image) or its jars are not found (the tests' classpath), {@link Main} runs
 * as it is. This class refers to nothing of JavaFX or of the program, so nothing is loaded from the classpath first.
 */
public final class Launcher {
    private static final String MAIN = "dev.runnerdesk.cli.Main";
    private static final Set<String> ROOTS = Set.of("javafx.base", "javafx.graphics", "javafx.controls");

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        ClassLoader loader = ModuleLayer.boot().findModule("javafx.graphics").isPresent() ? null : javaFxLayer();
        Class<?> main = loader == null ? Class.forName(MAIN) : Class.forName(MAIN, true, loader);
        if (loader != null) {
            Thread.currentThread().setContextClassLoader(loader);
        }
        Method entry = main.getMethod("main", String[].class);
        try {
            entry.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A loader for the program over a layer of JavaFX's modules, or null where the jar has no lib folder with JavaFX. */
    private static ClassLoader javaFxLayer() {
        try {
            URL location = Launcher.class.getProtectionDomain().getCodeSource().getLocation();
            Path jar = Path.of(location.toURI());
            Path lib = jar.getParent() == null ? null : jar.getParent().resolve("lib");
            if (!Files.isRegularFile(jar) || lib == null || !Files.isDirectory(lib)) {
                return null;
            }
            List<Path> javaFx = new ArrayList<>();
            List<URL> program = new ArrayList<>(List.of(jar.toUri().toURL()));
            try (Stream<Path> files = Files.list(lib)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (!name.endsWith(".jar")) {
                        continue;
                    }
                    if (name.startsWith("javafx-")) {
                        javaFx.add(f);
                    } else {
                        program.add(f.toUri().toURL());
                    }
                }
            }
            if (javaFx.isEmpty()) {
                return null;
            }
            // the platform jars (javafx-graphics-21-linux.jar) are the modules; the plain ones are empty placeholders
            ModuleFinder finder = ModuleFinder.of(javaFx.toArray(Path[]::new));
            Configuration config = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), ROOTS);
            ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
            ClassLoader javaFxLoader = layer.findLoader("javafx.graphics");
            return new URLClassLoader("runnerdesk", program.toArray(URL[]::new), javaFxLoader);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // no layer: the program runs from the classpath as before (JavaFX then warns, and works)
            return null;
        }
    }
}
