package dev.runnerdesk.cli;

import dev.runnerdesk.core.RunnerException;
import picocli.CommandLine;

import java.io.PrintWriter;

/** The program's entry: {@code runnerdesk} opens the app, {@code runnerdesk runners …} is the CLI. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != RootCommand.APP_RUNNING) {
            System.exit(code);
        }
    }

    /** Runs one command line; returns its exit status. Used by tests with their own writers. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new RootCommand());
        // opening the window needs none of the subcommands, whose model (reflection over every command and option)
        // took a quarter of a second before the window could start
        if (!opensTheApp(args)) {
            cli.addSubcommand(new RunnersCommand()).addSubcommand(new ServeCommand()).addSubcommand(new KeysCommand())
                    .addSubcommand(new ProviderKeysCommand()).addSubcommand(AuditCommand.class);
            // `exec R S echo -n hi`: options the command does not know belong to the command being run
            cli.getSubcommands().get("runners").getSubcommands().get("exec").setUnmatchedOptionsArePositionalParams(true);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof RunnerException r) {
                commandLine.getErr().println("error: " + r.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Whether the command line only opens the app: no arguments but {@code --data-dir DIR} and {@code --smoke}. */
    static boolean opensTheApp(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--data-dir") && i + 1 < args.length) {
                i++;
            } else if (!a.equals("--smoke") && !a.startsWith("--data-dir=")) {
                return false;
            }
        }
        return true;
    }
}
