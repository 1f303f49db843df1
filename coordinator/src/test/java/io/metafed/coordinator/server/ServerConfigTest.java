package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void serverConfig_portOutOfRange_rejectedNamingPort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.local(Path.of("x")).withPort(70_000));
        assertTrue(e.getMessage().contains("port must be in [0, 65535], found 70000"), e.getMessage());
    }

    @Test
    void federation_minClientsBelowMinUpdates_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FederationConfig.defaults().withRounds(5, 3, 2, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("minClients must be >= minUpdates (3), found 2"), e.getMessage());
    }

    @Test
    void tls_certificateWithoutKey_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TlsConfig(Path.of("c.pem"), null, false));
        assertTrue(e.getMessage().contains("given together"), e.getMessage());
    }

    @Test
    void federation_defaultLayout_isStandardMeluSchema() {
        assertTrue(FederationConfig.defaults().layout().size() > 10_000);
    }
}
