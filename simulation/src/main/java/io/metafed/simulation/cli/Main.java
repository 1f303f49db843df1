package io.metafed.simulation.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code metafed} command: dispatches to the named subcommand. */
@Command(name = "metafed", mixinStandardHelpOptions = true, version = "Metafed 0.1.0-SNAPSHOT",
        description = "Federated on-device meta-learning for personalized recommendation.",
        subcommands = {SimulateCommand.class, DemoCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The CLI with bad-input errors reported as one line (exit 2) rather than a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("metafed: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
