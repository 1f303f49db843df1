package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.handler.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial trial's slow clients through the real server on loopback: connections trickling a request one
 * byte at a time (which resets the idle timer forever) are closed at the request deadline, a TLS connection that
 * never finishes its handshake too; connections past the per-address and global caps are closed on accept; honest
 * clients, including a keep-alive one idle between requests for longer than the deadline, are served throughout.
 */
@Timeout(120)
class SlowClientTest {
    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    Path dir;

    private CoordinatorServer start(ConnectionLimits limits, boolean tls) throws Exception {
        ServerConfig config = ServerConfig.local(dir).withConnections(limits);
        return CoordinatorServer.start(tls ? config : config.withTls(TlsConfig.insecurePlaintext()));
    }

    private static Socket connect(CoordinatorServer server, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** True when the server closed {@code s} (end of stream or reset) before {@code waitMillis}. */
    private static boolean closedByServer(Socket s, int waitMillis) throws IOException {
        s.setSoTimeout(waitMillis);
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** A full request on {@code s}: the status line of the answer. */
    private static String ask(Socket s) throws IOException {
        s.getOutputStream().write(HEALTH);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        in.readNBytes(2); // "ok"
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void tricklingClients_closedAtTheRequestDeadline_honestKeepAliveClientServed() throws Exception {
        try (CoordinatorServer server = start(new ConnectionLimits(Duration.ofMillis(1500), 64, 1000), false)) {
            Socket honest = connect(server, "127.0.0.1");
            assertEquals("HTTP/1.1 200 OK", ask(honest));
            List<Socket> tricklers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tricklers.add(connect(server, "127.0.0.1"));
            }
            long start = System.nanoTime();
            List<Socket> open = new ArrayList<>(tricklers);
            // One byte per 200 ms each: the idle timer (120 s) would never fire. Bounded: at most 40 bytes.
            for (int b = 0; b < 40 && !open.isEmpty(); b++) {
                for (Socket s : new ArrayList<>(open)) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(HEALTH[b % (HEALTH.length - 4)]);
                        out.flush();
                    } catch (IOException closed) {
                        open.remove(s);
                    }
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Socket s : tricklers) {
                assertTrue(closedByServer(s, 3_000), "trickling connection still open after " + seconds + " s");
                s.close();
            }
            assertTrue(open.isEmpty(), open.size() + " trickling connections accepted all 40 bytes (8 s)");
            // The honest connection sat idle for longer than the deadline between requests: still served.
            assertEquals("HTTP/1.1 200 OK", ask(honest));
            honest.close();
            assertTrue(new TestClient(server.uri(), null).metrics()
                    .contains("metafed_connections_closed_total{reason=\"request_deadline\"} 8"));
        }
    }

    @Test
    void tlsHandshakeNeverFinished_closedAtTheDeadline() throws Exception {
        try (CoordinatorServer server = start(new ConnectionLimits(Duration.ofMillis(1000), 64, 1000), true)) {
            long start = System.nanoTime();
            try (Socket silent = connect(server, "127.0.0.1")) {
                assertTrue(closedByServer(silent, 8_000));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.9, "closed after " + seconds + " s, before the deadline");
            TestClient honest = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            assertEquals(200, honest.send("GET", "/health", null).statusCode());
        }
    }

    @Test
    void connectionsOverTheCaps_closedOnAccept_othersServed() throws Exception {
        // Per address 4, 6 in total; 127.0.0.2 and .3 are other source addresses on Linux loopback.
        try (CoordinatorServer server = start(new ConnectionLimits(Duration.ofSeconds(30), 4, 6), false)) {
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(connect(server, "127.0.0.1"));
            }
            for (Socket s : held) {
                assertEquals("HTTP/1.1 200 OK", ask(s));
            }
            try (Socket fifth = connect(server, "127.0.0.1")) {
                assertTrue(closedByServer(fifth, 5_000), "5th connection from one address accepted");
            }
            held.add(connect(server, "127.0.0.2"));
            // The refused 5th connection frees its slot when its close reaches the server, which on a loaded machine
            // can come after the next accept: retry the 6th until that has happened.
            Socket sixth = null;
            for (int attempt = 0; attempt < 50 && sixth == null; attempt++) {
                Socket s = connect(server, "127.0.0.2");
                try {
                    if (ask(s).equals("HTTP/1.1 200 OK")) {
                        sixth = s;
                    }
                } catch (IOException closed) {
                    s.close();
                    Thread.sleep(100);
                }
            }
            assertTrue(sixth != null, "another address is under its own cap");
            held.add(sixth);
            try (Socket seventh = connect(server, "127.0.0.3")) {
                assertTrue(closedByServer(seventh, 5_000), "7th connection in total accepted");
            }
            held.remove(0).close();
            Socket again = null;
            for (int attempt = 0; attempt < 50 && again == null; attempt++) { // the close reaches the server soon
                Socket s = connect(server, "127.0.0.1");
                try {
                    if (ask(s).equals("HTTP/1.1 200 OK")) {
                        again = s;
                    }
                } catch (IOException refused) {
                    s.close();
                    Thread.sleep(100);
                }
            }
            assertTrue(again != null, "a freed slot is usable again");
            again.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
