package io.metafed.coordinator.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.signature.Ed25519Verifier;
import io.metafed.security.signature.KeyFiles;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSigningKeyTest {
    @TempDir
    Path dir;

    @Test
    void loadOrCreate_restart_sameKeyAndPublicFileMatches() throws Exception {
        ModelSigningKey first = ModelSigningKey.loadOrCreate(dir.resolve("keys"));
        ModelSigningKey second = ModelSigningKey.loadOrCreate(dir.resolve("keys"));
        assertEquals(first.publicKey(), second.publicKey());
        assertEquals(first.publicKey(), KeyFiles.readPublicKey(second.publicKeyFile()));
    }

    @Test
    void sign_versionBound_verifiesOnlyForThatVersion() throws Exception {
        ModelSigningKey key = ModelSigningKey.loadOrCreate(dir);
        byte[] file = {1, 2, 3};
        byte[] sig = Base64.getDecoder().decode(key.sign(7, file));
        Ed25519Verifier verifier = new Ed25519Verifier(key.publicKey());
        assertTrue(verifier.verify(SignedMessages.model(7, file), sig));
        assertEquals(false, verifier.verify(SignedMessages.model(8, file), sig));
    }
}
