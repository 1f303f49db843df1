package io.metafed.coordinator.server;

import io.metafed.coordinator.server.handler.ServerChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator behind HTTP/1.1 (TLS unless configured otherwise): a {@link Federation} served by Netty,
 * with coordinator calls on a small bounded worker pool and rounds driven by the {@link RoundScheduler}.
 * {@link #start} returns once the port is bound; {@link #close} stops rounds, the listener and the pools.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);
    /** Requests waiting for a worker beyond this get 503: bounded memory under overload. */
    static final int WORK_QUEUE = 1_024;

    private final Federation federation;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel listener;
    private final URI uri;
    private final Optional<Path> certificate;

    private CoordinatorServer(Federation federation, EventLoopGroup group, ThreadPoolExecutor workers,
            Channel listener, URI uri, Optional<Path> certificate) {
        this.federation = federation;
        this.group = group;
        this.workers = workers;
        this.listener = listener;
        this.uri = uri;
        this.certificate = certificate;
    }

    public static CoordinatorServer start(ServerConfig config) throws IOException, InterruptedException {
        return start(config, Clock.systemUTC());
    }

    /** {@link #start(ServerConfig, Clock, StartupMode)} with {@link StartupMode#INIT}: tests and embedded servers. */
    public static CoordinatorServer start(ServerConfig config, Clock clock) throws IOException, InterruptedException {
        return start(config, clock, StartupMode.INIT);
    }

    /**
     * @throws StartupException with a one-line reason when the data directory, its state or the port is unusable
     */
    public static CoordinatorServer start(ServerConfig config, Clock clock, StartupMode mode)
            throws IOException, InterruptedException {
        DataDirectory.prepare(config.dataDir());
        DataDirectory.checkIdentity(config.dataDir(), mode); // before the TLS step writes into the directory
        ServerTls.Material tls = ServerTls.load(config.tls(), config.dataDir());
        Federation federation = Federation.open(config.dataDir(), config.federation(), config.auth(), clock, mode);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WORK_QUEUE), r -> {
                    Thread t = new Thread(r, "metafed-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ServerChannelInitializer(tls.context().orElse(null), federation.api(),
                            federation.metrics(), workers, config.connections()))
                    .bind(config.host(), config.port()).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
            URI uri = URI.create((tls.context().isPresent() ? "https" : "http") + "://" + host + ":" + port);
            federation.scheduler().start();
            LOG.info("Coordinator serving {} (data {})", uri, config.dataDir().toAbsolutePath());
            return new CoordinatorServer(federation, group, workers, listener, uri, tls.certificateFile());
        } catch (Exception e) { // bind() also throws checked exceptions undeclared
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            federation.close();
            if (e instanceof java.net.BindException) {
                throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + ": "
                        + OperatorMessages.describe(e) + " (is another coordinator running? choose another --port"
                        + " or --host)", e);
            }
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Base URI, e.g. {@code https://127.0.0.1:8443}. */
    public URI uri() {
        return uri;
    }

    /** The PEM certificate clients should trust; empty when serving plaintext. */
    public Optional<Path> certificateFile() {
        return certificate;
    }

    public Federation federation() {
        return federation;
    }

    @Override
    public void close() throws IOException {
        LOG.info("Coordinator at {} shutting down", uri);
        try {
            federation.scheduler().close();
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            workers.shutdown();
            try {
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        } finally {
            federation.close();
        }
    }
}
