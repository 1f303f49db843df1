package io.metafed.security.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void loadOrCreate_secondCall_reusesKey() throws IOException {
        Path file = dir.resolve("keys").resolve("signing.pem");
        Ed25519KeyPair first = KeyFiles.loadOrCreate(file, Ed25519NegativeTest.seeded(4));
        Ed25519KeyPair second = KeyFiles.loadOrCreate(file, Ed25519NegativeTest.seeded(5));
        assertEquals(first.publicKey(), second.publicKey());
    }

    @Test
    void writePrivateKey_posix_ownerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("k.pem");
        KeyFiles.writePrivateKey(Ed25519KeyPair.generate().privateKey(), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void readPublicKey_pemOrBase64_sameKey() throws IOException {
        Ed25519PublicKey key = Ed25519KeyPair.generate().publicKey();
        KeyFiles.writePublicKey(key, dir.resolve("a.pem"));
        Files.writeString(dir.resolve("b.txt"), key.toBase64() + "\n");
        assertEquals(key, KeyFiles.readPublicKey(dir.resolve("a.pem")));
        assertEquals(key, KeyFiles.readPublicKey(dir.resolve("b.txt")));
    }

    @Test
    void readKeyPair_garbage_ioExceptionNamingFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.pem"), "hello");
        IOException e = assertThrows(IOException.class, () -> KeyFiles.readKeyPair(file));
        assertEquals(true, e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
