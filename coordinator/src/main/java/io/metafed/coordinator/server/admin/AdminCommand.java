package io.metafed.coordinator.server.admin;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the operator commands on a data directory share: the directory option, and usage when no subcommand. */
abstract class AdminCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "coordinator-data", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The coordinator's data directory (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
