package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.core.RunnerException;

import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * The screen the model works on: shell commands run where its X display is ({@code DISPLAY} set), which
 * is how every action is performed ({@code xdotool}) and every screenshot taken ({@code scrot}).
 */
public interface Desktop {
    /** What a command did. */
    record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** Runs {@code command} with {@code bash -c}, ending it after {@code timeout}. */
    CommandResult run(String command, Duration timeout);

    /**
     * A PNG of the whole screen with the pointer, in one round trip: scrot writes a file, base64 prints it
     * (a 1024×768 desktop is some 100–300 KB), the file is removed.
     */
    default byte[] screenshot(Duration timeout) {
        String file = "/tmp/runnerdesk-screen-" + UUID.randomUUID() + ".png";
        CommandResult result = run("scrot --pointer " + file + " && base64 -w0 " + file
                + "; status=$?; rm -f " + file + "; exit $status", timeout);
        if (!result.succeeded()) {
            throw new RunnerException.Unavailable("could not take a screenshot of the desktop"
                    + (result.timedOut() ? " in time" : " (exit " + result.exitCode() + "): " + result.stderr().strip()));
        }
        try {
            return Base64.getDecoder().decode(result.stdout().strip());
        } catch (IllegalArgumentException e) {
            throw new RunnerException.Unavailable("the desktop's screenshot was not valid base64");
        }
    }
}
