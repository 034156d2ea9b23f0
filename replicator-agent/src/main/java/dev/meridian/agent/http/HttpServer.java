package dev.meridian.agent.http;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.security.ClientLimits;
import dev.meridian.agent.security.ClientRateLimiter;
import dev.meridian.agent.security.TlsFiles;
import dev.meridian.agent.registry.RegistryService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region's HTTP server: the OCI distribution API and the health probes, on epoll when the native
 * transport loads, else NIO. Disk and RocksDB work runs on a separate pool of blocking threads.
 *
 * <p>With {@link TlsFiles} it speaks https only (TLS 1.2 and 1.3 as the JDK offers them); blob downloads then go
 * out in chunks through {@link ChunkedWriteHandler} instead of zero-copy. Without TLS, a download goes out with
 * {@code sendfile}, except to a client on this host, which gets mapped windows ({@link MappedFileChunks}).
 * Per-client limits (rate, uploads in progress, body and idle timeouts) are those of {@link ClientLimits}; a request line over 8 KiB or headers over
 * 16 KiB are answered 431 with an OCI error body, and the connection is closed.
 *
 * <p>{@link #close} stops accepting, lets requests in flight finish for a short grace period, then stops
 * the event loops and the blocking pool.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  /** Netty's default 8 KiB chunks cap upload speed; 1 MiB lets a chunk go to disk in one write. */
  static final int MAX_CHUNK_SIZE = 1024 * 1024;
  private static final int MAX_INITIAL_LINE = 8 * 1024;
  private static final int MAX_HEADER_SIZE = 16 * 1024;
  private static final int BLOCKING_THREADS = 32;

  /**
   * Whether the client is on this host: its downloads go out as mapped windows through {@code write} rather than
   * {@code sendfile}, see {@link MappedFileChunks}. A loopback peer is; so is one that reached us at one of our other
   * addresses from that same address (the kernel gives a local connection the address it was made to as its source).
   */
  static boolean sameHost(java.net.SocketAddress local, java.net.SocketAddress remote) {
    if (!(remote instanceof java.net.InetSocketAddress peer) || peer.getAddress() == null) return false;
    if (peer.getAddress().isLoopbackAddress()) return true;
    return local instanceof java.net.InetSocketAddress self && peer.getAddress().equals(self.getAddress());
  }

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final ExecutorService blocking;
  private final Channel serverChannel;
  private final AtomicBoolean serving = new AtomicBoolean();
  private final String transport;
  private final boolean tls;

  private HttpServer(RegistryService service, InetSocketAddress bind, HttpExtensions extensions, ReadThrough readThrough,
      Optional<TlsFiles> tlsFiles, ClientLimits limits, boolean mapForSameHost) {
    SslContext ssl = tlsFiles.map(HttpServer::serverContext).orElse(null);
    this.tls = ssl != null;
    ClientRateLimiter limiter = new ClientRateLimiter(limits);
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.transport = epoll ? "epoll" : "nio";
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, io);
    this.workerGroup = new MultiThreadIoEventLoopGroup(0, io);
    this.blocking = Executors.newFixedThreadPool(BLOCKING_THREADS, daemonThreads("meridian-blocking-"));
    Router router = new Router();
    Handlers handlers = new Handlers(service, serving::get, extensions, readThrough);
    AccessGuard guard = extensions.security().map(s -> new AccessGuard(s.policy(), extensions.audit())).orElse(null);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Reads grow up to 1 MiB while a body streams in (Netty's default stops at 64 KiB): fewer, larger
        // pieces for an upload to queue and append; a connection sending small requests keeps small buffers.
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 16 * 1024, MAX_CHUNK_SIZE))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            var pipeline = channel.pipeline();
            if (ssl != null) pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
            pipeline
                // observeOutput: a download still being written counts as activity, whatever its size
                .addLast("idle", new IdleStateHandler(true, limits.bodyTimeout().toMillis(), 0,
                    limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                .addLast("timeouts", new ClientTimeouts());
            // TLS sends files in chunks; a client on this host gets mapped windows (MappedFileChunks); others sendfile.
            boolean mapped = mapForSameHost && sameHost(channel.localAddress(), channel.remoteAddress());
            if (ssl != null || mapped) pipeline.addLast("chunked", new ChunkedWriteHandler());
            pipeline
                .addLast("observer", new RequestObserver(router, extensions.listener()))
                .addLast("dispatcher", new RequestDispatcher(router, handlers, blocking, limiter, guard));
          }
        });
    ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdownGroups();
      // Netty rethrows a BindException undeclared; a plain unchecked one lets callers clean up as usual.
      throw new IllegalStateException("cannot listen on " + bind + ": " + bound.cause().getMessage(), bound.cause());
    }
    this.serverChannel = bound.channel();
    serving.set(true);
  }

  /** Binds and starts serving; throws if the address is taken. */
  public static HttpServer start(RegistryService service, InetSocketAddress bind) {
    return start(service, bind, HttpExtensions.none());
  }

  /** Binds and starts serving the OCI API and {@code extensions}; throws if the address is taken. */
  public static HttpServer start(RegistryService service, InetSocketAddress bind, HttpExtensions extensions) {
    return start(service, bind, extensions, ReadThrough.NONE);
  }

  /** As {@link #start(RegistryService, InetSocketAddress, HttpExtensions)}, answering pulls of content not here yet with {@code readThrough}. */
  public static HttpServer start(RegistryService service, InetSocketAddress bind, HttpExtensions extensions, ReadThrough readThrough) {
    return start(service, bind, extensions, readThrough, Optional.empty(), ClientLimits.defaults());
  }

  /** As above, over TLS when {@code tls} is given, with {@code limits} per client. */
  public static HttpServer start(RegistryService service, InetSocketAddress bind, HttpExtensions extensions,
      ReadThrough readThrough, Optional<TlsFiles> tls, ClientLimits limits) {
    return start(service, bind, extensions, readThrough, tls, limits, true);
  }

  /** As above; with {@code mapForSameHost} false, clients on this host get {@code sendfile} too (tests use it). */
  static HttpServer start(RegistryService service, InetSocketAddress bind, HttpExtensions extensions,
      ReadThrough readThrough, Optional<TlsFiles> tls, ClientLimits limits, boolean mapForSameHost) {
    HttpServer server = new HttpServer(service, bind, extensions, readThrough, tls, limits, mapForSameHost);
    log.info("http.start address={} transport={} tls={}", server.address(), server.transport, server.tls);
    return server;
  }

  private static SslContext serverContext(TlsFiles files) {
    try {
      return SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile()).build();
    } catch (Exception e) { // SSLException, or IllegalArgumentException for a key Netty cannot read
      throw new IllegalArgumentException("cannot use the TLS certificate " + files.certificateChain() + " and key "
          + files.privateKey() + ": " + e.getMessage(), e);
    }
  }

  /** Whether the listener speaks https. */
  public boolean tls() {
    return tls;
  }

  /** The bound address (with the real port when 0 was asked). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public String transport() {
    return transport;
  }

  public boolean serving() {
    return serving.get();
  }

  @Override
  public void close() {
    if (!serving.getAndSet(false) && !serverChannel.isOpen()) return;
    serverChannel.close().syncUninterruptibly();
    shutdownGroups();
    log.info("http.stop address={}", serverChannel.localAddress());
  }

  private void shutdownGroups() {
    bossGroup.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    workerGroup.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) blocking.shutdownNow();
    } catch (InterruptedException e) {
      blocking.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
