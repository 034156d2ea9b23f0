package dev.meridian.agent.http;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryService;
import io.netty.bootstrap.ServerBootstrap;
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

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final ExecutorService blocking;
  private final Channel serverChannel;
  private final AtomicBoolean serving = new AtomicBoolean();
  private final String transport;

  private HttpServer(RegistryService service, InetSocketAddress bind, HttpExtensions extensions, ReadThrough readThrough) {
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
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                .addLast("observer", new RequestObserver(router, extensions.listener()))
                .addLast("dispatcher", new RequestDispatcher(router, handlers, blocking, guard));
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
    HttpServer server = new HttpServer(service, bind, extensions, readThrough);
    log.info("http.start address={} transport={}", server.address(), server.transport);
    return server;
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
