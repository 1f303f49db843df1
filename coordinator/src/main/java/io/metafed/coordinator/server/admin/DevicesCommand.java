package io.metafed.coordinator.server.admin;

import io.metafed.coordinator.server.ClientRegistry;
import io.metafed.coordinator.server.auth.Revocations;
import io.metafed.model.protocol.ClientIds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run-coordinator.sh devices list|count|revoke ID...}: the operator's view of a data directory's enrolled
 * devices (docs/SECURITY.md, "Sybil enrollment"). Reads {@code clients.log} without writing it, so it is safe
 * while the server runs; {@code revoke} appends to {@code revocations.log}, which a running server picks up within
 * about a second (the device's signed requests are then refused with 403 {@code revoked}).
 */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List, count or revoke enrolled devices.")
public final class DevicesCommand extends AdminCommand {

    @Command(name = "list", description = "One line per device: id, key fingerprint, enrollment token, status.")
    int list(@Option(names = "--token", paramLabel = "NAME", description = "Only devices enrolled with this token.")
            String token) throws IOException {
        Set<String> revoked = revokedDevices();
        PrintStream out = System.out;
        for (ClientRegistry.Device d : devices()) {
            if (token != null && !d.token().filter(token::equals).isPresent()) {
                continue;
            }
            out.printf("%s\t%s\t%s\t%s%n", d.clientId(), d.key().map(k -> k.fingerprint()).orElse("no-key"),
                    d.token().orElse("-"), revoked.contains(d.clientId()) ? "revoked" : "active");
        }
        out.flush();
        return 0;
    }

    @Command(name = "count", description = "Enrolled, revoked and active devices.")
    int count() throws IOException {
        Set<String> revoked = revokedDevices();
        List<ClientRegistry.Device> all = devices();
        long revokedEnrolled = all.stream().filter(d -> revoked.contains(d.clientId())).count();
        System.out.printf("enrolled %d, revoked %d, active %d%n", all.size(), revokedEnrolled,
                all.size() - revokedEnrolled);
        return 0;
    }

    @Command(name = "revoke", description = "Revoke devices by id (permanent; a revoked id cannot enroll again).")
    int revoke(@Parameters(arity = "1..*", paramLabel = "ID") List<String> ids) throws IOException {
        Set<String> known = new HashSet<>();
        devices().forEach(d -> known.add(d.clientId()));
        for (String id : ids) {
            try {
                ClientIds.require(id);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "ID '" + id + "': "
                        + e.getMessage());
            }
            Revocations.append(dataDir, "device", id);
            System.out.println("revoked device " + id + (known.contains(id) ? "" : " (not enrolled yet: it never"
                    + " will be)"));
        }
        return 0;
    }

    private List<ClientRegistry.Device> devices() throws IOException {
        Path log = dataDir.resolve("clients.log");
        if (!Files.isDirectory(dataDir)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDir
                    + " is not a directory");
        }
        return Files.exists(log) ? ClientRegistry.read(log) : List.of();
    }

    private Set<String> revokedDevices() throws IOException {
        Set<String> devices = new HashSet<>();
        Revocations.read(dataDir.resolve(Revocations.FILE), devices, new HashSet<>());
        return devices;
    }
}
