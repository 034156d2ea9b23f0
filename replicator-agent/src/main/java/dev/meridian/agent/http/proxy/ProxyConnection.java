package dev.meridian.agent.http.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the proxy. Requests are handled one at a time, in order; each goes to the upstream
 * its {@link ProxyPlan} names, over a kept-alive upstream connection of this client connection when one is idle.
 *
 * <p>Bodies stream both ways and are never gathered: both channels read only on demand ({@code autoRead} off),
 * and the next read is asked for only once the other side has flushed what came before, so at most one
 * socket read per direction is held in memory, whatever the size of an upload or a download.
 *
 * <p>An upstream answers before it has the whole body (an early refusal): the rest of the client's body is
 * read and dropped, and that upstream connection is not reused.
 */
final class ProxyConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger("dev.meridian.agent.http.proxy.access");
  private static final int CONNECT_TIMEOUT_MS = 3000;
  /** A client header the proxy never passes on: it is meant for requests between regions only. */
  static final String INTERNAL_HEADER = "Meridian-Internal";

  private final ProxyRoutes routes;
  private final Class<? extends SocketChannel> clientType;
  private final ArrayDeque<HttpObject> inbox = new ArrayDeque<>();
  private final Map<String, Channel> idle = new HashMap<>();
  private ChannelHandlerContext ctx;

  // The exchange in flight; current == null between requests.
  private HttpRequest current;
  private long startNanos;
  private boolean clientKeepAlive;
  private ProxyPlan.Forward plan;
  private int attempt;
  private Channel upstream;
  private String upstreamName = "none";
  private String upstreamUri;
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private int writesInFlight;
  private boolean requestDone;
  private boolean requestSent;
  private boolean discarding;
  private boolean informational;
  private boolean responseStarted;
  private boolean responseDone;
  private boolean upstreamKeepAlive;
  private int status;

  ProxyConnection(ProxyRoutes routes, Class<? extends SocketChannel> clientType) {
    this.routes = routes;
    this.clientType = clientType;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject object)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    inbox.add(object);
    pump();
  }

  private void pump() {
    while (!inbox.isEmpty()) {
      HttpObject next = inbox.peek();
      if (next instanceof HttpRequest && current != null) break;
      inbox.poll();
      if (next instanceof HttpRequest request) begin(request);
      if (next instanceof HttpContent content) requestContent(content);
      if (!ctx.channel().isActive()) {
        drain();
        return;
      }
    }
    readIfWanted();
  }

  private void readIfWanted() {
    if (!inbox.isEmpty() || !ctx.channel().isActive()) return;
    boolean want = current == null
        || (discarding && !requestDone)
        || (!requestDone && upstream != null && writesInFlight == 0);
    if (want) ctx.read();
  }

  private void begin(HttpRequest request) {
    current = request;
    startNanos = System.nanoTime();
    clientKeepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      // Framing is lost: answer and close.
      clientKeepAlive = false;
      respondLocally(new ProxyPlan.Refusal(400, "UNSUPPORTED", "malformed HTTP request"));
      return;
    }
    ProxyPlan decided;
    try {
      decided = routes.plan(request.method().name(), request.uri(), (InetSocketAddress) ctx.channel().remoteAddress());
    } catch (RuntimeException e) {
      log.warn("proxy.plan_failed uri={} reason={}", request.uri(), e.toString());
      decided = new ProxyPlan.Refuse(new ProxyPlan.Refusal(500, "UNAVAILABLE", "front door failed to route the request"));
    }
    if (decided instanceof ProxyPlan.Refuse refuse) {
      respondLocally(refuse.refusal());
    } else if (decided instanceof ProxyPlan.Answer answer) {
      respondLocally(answer.status(), answer.contentType(), answer.body());
    } else {
      plan = (ProxyPlan.Forward) decided;
      attempt = 0;
      connectNext();
    }
  }

  private void requestContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (current == null || discarding) {
      content.release();
      if (current != null && last) {
        requestDone = true;
        maybeFinish();
      }
      return;
    }
    if (last) requestDone = true;
    if (upstream == null) {
      pending.add(content); // still connecting
    } else {
      forward(content);
    }
  }

  private void connectNext() {
    if (attempt >= plan.upstreams().size()) {
      respondLocally(plan.whenUnreachable());
      return;
    }
    ProxyPlan.Upstream target = plan.upstreams().get(attempt++);
    Channel pooled = idle.remove(target.name());
    if (pooled != null && pooled.isActive()) {
      attach(pooled, target);
      return;
    }
    if (pooled != null) pooled.close();
    Bootstrap bootstrap = new Bootstrap()
        .group(ctx.channel().eventLoop())
        .channel(clientType)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline()
                .addLast("codec", new HttpClientCodec(ProxyServer.MAX_INITIAL_LINE, ProxyServer.MAX_HEADER_SIZE, ProxyServer.MAX_CHUNK_SIZE))
                .addLast("upstream", new UpstreamHandler());
          }
        });
    bootstrap.connect(target.address()).addListener((ChannelFuture f) -> {
      if (!ctx.channel().isActive()) {
        f.channel().close();
        return;
      }
      if (f.isSuccess()) {
        attach(f.channel(), target);
      } else {
        log.info("proxy.unreachable upstream={} address={} reason={}", target.name(), target.address(), f.cause().toString());
        routes.unreachable(target.name());
        connectNext();
      }
    });
  }

  private void attach(Channel channel, ProxyPlan.Upstream target) {
    upstream = channel;
    upstreamName = target.name();
    upstreamUri = target.uri();
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, current.method(), target.uri(), current.headers().copy());
    head.headers().remove(INTERNAL_HEADER);
    // The region names its token endpoint after the host the client reached: the front door's, not its own.
    String clientHost = current.headers().get(HttpHeaderNames.HOST);
    head.headers().remove("X-Forwarded-Host");
    if (clientHost != null) head.headers().set("X-Forwarded-Host", clientHost);
    head.headers().set(HttpHeaderNames.HOST, target.address().getHostString() + ":" + target.address().getPort());
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    if (client != null) head.headers().add("X-Forwarded-For", client.getAddress().getHostAddress());
    HttpUtil.setKeepAlive(head, true); // the upstream connection outlives the client's request
    write(head, false);
    upstream.read();
    while (!pending.isEmpty()) forward(pending.poll());
    readIfWanted();
  }

  private void forward(HttpContent content) {
    write(content, content instanceof LastHttpContent);
  }

  private void write(HttpObject object, boolean last) {
    writesInFlight++;
    Channel target = upstream;
    target.writeAndFlush(object).addListener(f -> {
      writesInFlight--;
      if (!f.isSuccess()) {
        target.close(); // upstreamClosed() answers the client
        return;
      }
      if (last) requestSent = true;
      if (target == upstream) {
        maybeFinish();
        if (current != null) readIfWanted();
      }
    });
  }

  /** A message from {@code channel}, one of this connection's upstreams. */
  private void fromUpstream(Channel channel, HttpObject msg) {
    if (channel != upstream || responseDone) {
      ReferenceCountUtil.release(msg);
      return;
    }
    boolean end = false;
    if (msg instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        informational = true; // 100 Continue: passed on, the real answer follows
      } else {
        responseStarted = true;
        status = response.status().code();
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        String location = response.headers().get(HttpHeaderNames.LOCATION);
        if (location != null) response.headers().set(HttpHeaderNames.LOCATION, routes.rewriteLocation(upstreamName, upstreamUri, location));
        HttpUtil.setKeepAlive(response, clientKeepAlive);
      }
    }
    if (msg instanceof LastHttpContent) {
      if (informational) {
        informational = false;
      } else {
        end = true;
      }
    }
    boolean finished = end;
    ctx.writeAndFlush(msg).addListener(f -> {
      if (!f.isSuccess()) {
        ctx.close();
        return;
      }
      if (finished) {
        responseDone = true;
        maybeFinish();
      } else if (channel == upstream) {
        channel.read();
      }
    });
  }

  /** The response is out: once the request is in too, the exchange ends. */
  private void maybeFinish() {
    if (current == null || !responseDone) return;
    if (!requestDone) {
      // Answered early: drop the rest of the body; this upstream connection's framing is no longer known.
      startDiscarding();
      readIfWanted();
      return;
    }
    if (writesInFlight > 0) return;
    finish();
  }

  private void startDiscarding() {
    if (discarding) return;
    discarding = true;
    pending.forEach(HttpContent::release);
    pending.clear();
    if (upstream != null) upstream.close();
    upstream = null;
  }

  private void finish() {
    log.info("proxy method={} uri={} upstream={} status={} duration_ms={}",
        current.method(), abbreviate(current.uri()), upstreamName, status, (System.nanoTime() - startNanos) / 1_000_000);
    if (upstream != null) {
      if (upstreamKeepAlive && requestSent && !discarding) {
        idle.put(upstreamName, upstream);
      } else {
        upstream.close();
      }
    }
    boolean keep = clientKeepAlive;
    reset();
    if (!keep) {
      ctx.close();
      return;
    }
    pump();
  }

  private void reset() {
    current = null;
    plan = null;
    upstream = null;
    upstreamName = "none";
    upstreamUri = null;
    writesInFlight = 0;
    requestDone = false;
    requestSent = false;
    discarding = false;
    informational = false;
    responseStarted = false;
    responseDone = false;
    upstreamKeepAlive = false;
    status = 0;
  }

  private void respondLocally(ProxyPlan.Refusal refusal) {
    String body = "{\"errors\":[{\"code\":\"" + refusal.code() + "\",\"message\":\"" + escape(refusal.message()) + "\"}]}";
    respondLocally(refusal.status(), "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private void respondLocally(int answerStatus, String contentType, byte[] body) {
    status = answerStatus;
    responseStarted = true;
    startDiscarding(); // whatever body comes is not going anywhere
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answerStatus),
        Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set("Docker-Distribution-API-Version", "registry/2.0");
    // A client waiting for 100 Continue will not send its body: the connection cannot carry another request.
    if (HttpUtil.is100ContinueExpected(current)) clientKeepAlive = false;
    HttpUtil.setKeepAlive(response, clientKeepAlive);
    boolean close = !clientKeepAlive;
    ctx.writeAndFlush(response).addListener(f -> {
      if (!f.isSuccess() || close) {
        log.info("proxy method={} uri={} upstream=none status={} duration_ms={}", current == null ? "-" : current.method(),
            current == null ? "-" : abbreviate(current.uri()), answerStatus, (System.nanoTime() - startNanos) / 1_000_000);
        ctx.close();
        return;
      }
      responseDone = true;
      maybeFinish();
    });
  }

  /** An upstream connection closed: an idle one is forgotten; the one in use fails the exchange. */
  private void upstreamClosed(Channel channel) {
    idle.values().remove(channel);
    if (channel != upstream || current == null || responseDone) return;
    upstream = null;
    if (responseStarted) {
      ctx.close(); // the answer is cut short: the client must see that, not a truncated success
      return;
    }
    log.info("proxy.upstream_closed upstream={} uri={}", upstreamName, abbreviate(current.uri()));
    respondLocally(new ProxyPlan.Refusal(502, "UNAVAILABLE", "region " + upstreamName + " closed the connection"));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    drain();
    pending.forEach(HttpContent::release);
    pending.clear();
    if (upstream != null) upstream.close();
    idle.values().forEach(Channel::close);
    idle.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void drain() {
    HttpObject leftover;
    while ((leftover = inbox.poll()) != null) ReferenceCountUtil.release(leftover);
  }

  private static String abbreviate(String uri) {
    return uri.length() > 200 ? uri.substring(0, 200) + "..." : uri;
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** The end of one upstream connection: everything goes back to this client connection's handler. */
  private final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext upstreamCtx, Object msg) {
      if (msg instanceof HttpObject object) {
        fromUpstream(upstreamCtx.channel(), object);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext upstreamCtx) {
      upstreamClosed(upstreamCtx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext upstreamCtx, Throwable cause) {
      upstreamCtx.close();
    }
  }
}
