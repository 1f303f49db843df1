package io.metafed.coordinator.server.admin;

import io.metafed.coordinator.server.ClientRegistry;
import io.metafed.coordinator.server.auth.Revocations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run-coordinator.sh tokens list|revoke NAME}: devices enrolled per token name, and revocation of a token
 * (it enrolls no further device; devices it enrolled stay until revoked with {@code devices revoke}). Tokens are
 * named as in the token file ({@code name=}) or by {@code token-<8 hex digits of SHA-256>}.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Devices per token; revoke a token.")
public final class TokensCommand extends AdminCommand {

    @Command(name = "list", description = "One line per token that enrolled devices: name, devices, status.")
    int list() throws IOException {
        Set<String> revoked = new HashSet<>();
        Revocations.read(dataDir.resolve(Revocations.FILE), new HashSet<>(), revoked);
        TreeMap<String, Integer> counts = new TreeMap<>();
        Path log = dataDir.resolve("clients.log");
        if (Files.exists(log)) {
            ClientRegistry.read(log).forEach(d -> d.token().ifPresent(t -> counts.merge(t, 1, Integer::sum)));
        }
        revoked.forEach(t -> counts.putIfAbsent(t, 0));
        counts.forEach((t, n) -> System.out.printf("%s\t%d devices\t%s%n", t, n, revoked.contains(t) ? "revoked"
                : "active"));
        return 0;
    }

    @Command(name = "revoke", description = "Revoke tokens by name: they enroll no further device.")
    int revoke(@Parameters(arity = "1..*", paramLabel = "NAME") java.util.List<String> names) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDir
                    + " is not a directory");
        }
        for (String name : names) {
            try {
                Revocations.append(dataDir, "token", name);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            System.out.println("revoked token " + name);
        }
        return 0;
    }
}
