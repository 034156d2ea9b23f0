package dev.meridian.agent.http.proxy;

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
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming HTTP/1.1 reverse proxy: each client connection gets a {@link ProxyConnection}, which asks
 * {@link ProxyRoutes} where each request goes. Upstream connections run on the client connection's own event
 * loop, so one connection's work never needs a lock, and nothing on the way blocks.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
  /** As in the agent: 1 MiB chunks keep uploads and downloads near disk speed. */
  static final int MAX_CHUNK_SIZE = 1024 * 1024;
  static final int MAX_INITIAL_LINE = 8 * 1024;
  static final int MAX_HEADER_SIZE = 16 * 1024;

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel serverChannel;

  private ProxyServer(ProxyRoutes routes, InetSocketAddress bind) {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, io);
    this.workerGroup = new MultiThreadIoEventLoopGroup(0, io);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(serverType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Reads are asked for one at a time, when the other side has taken the last message: backpressure.
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                .addLast("proxy", new ProxyConnection(routes, clientType));
          }
        });
    ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdownGroups();
      throw new IllegalStateException("cannot listen on " + bind + ": " + bound.cause().getMessage(), bound.cause());
    }
    this.serverChannel = bound.channel();
  }

  /** Binds and starts proxying; throws if the address is taken. */
  public static ProxyServer start(ProxyRoutes routes, InetSocketAddress bind) {
    ProxyServer server = new ProxyServer(routes, bind);
    log.info("proxy.start address={}", server.address());
    return server;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  @Override
  public void close() {
    if (!serverChannel.isOpen()) return;
    serverChannel.close().syncUninterruptibly();
    shutdownGroups();
    log.info("proxy.stop address={}", serverChannel.localAddress());
  }

  private void shutdownGroups() {
    bossGroup.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    workerGroup.shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }
}
