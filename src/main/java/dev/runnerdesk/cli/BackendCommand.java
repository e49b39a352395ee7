package dev.runnerdesk.cli;

import dev.runnerdesk.wire.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A subcommand that talks to a backend (this computer or a gateway): its connection options and its output. */
abstract class BackendCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** {@code value} as pretty JSON on standard output (for {@code --json}). */
    void json(Object value) {
        out().println(Json.writePretty(value));
    }
}
