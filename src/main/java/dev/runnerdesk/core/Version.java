package dev.runnerdesk.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, from the pom (filtered into {@code version.properties}). */
public final class Version {
    private Version() {
    }

    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/runnerdesk/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
