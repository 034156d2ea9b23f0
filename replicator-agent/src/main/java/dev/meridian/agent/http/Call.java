package dev.meridian.agent.http;

import io.netty.channel.socket.DuplexChannel;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being answered: its head, its route, its connection, and whether it was answered yet. Replies
 * are written on the event loop, whichever thread produced them; a reply may be sent before the body has
 * been read (an early refusal), then the rest of the body is discarded, or the connection closed.
 */
final class Call {
  private static final Logger log = LoggerFactory.getLogger("dev.meridian.agent.http.access");

  final ChannelHandlerContext ctx;
  final HttpRequest request;
  final RouteMatch match;
  final Executor blocking;
  private final long startNanos = System.nanoTime();
  private final boolean keepAlive;
  private boolean replied;
  private boolean closeAfterReply;
  private Runnable onReplied = () -> {};

  Call(ChannelHandlerContext ctx, HttpRequest request, RouteMatch match, Executor blocking) {
    this.ctx = ctx;
    this.request = request;
    this.match = match;
    this.blocking = blocking;
    this.keepAlive = HttpUtil.isKeepAlive(request);
  }

  String method() {
    return request.method().name();
  }

  boolean isHead() {
    return request.method().equals(HttpMethod.HEAD);
  }

  Optional<String> header(CharSequence name) {
    return Optional.ofNullable(request.headers().get(name));
  }

  boolean replied() {
    return replied;
  }

  /** Runs {@code action} once, when the reply is written (not run if the connection drops first). */
  void onReplied(Runnable action) {
    onReplied = action;
  }

  /** Closes the connection once the reply is out: used when the rest of a refused body is not worth reading. */
  void closeAfterReply() {
    closeAfterReply = true;
  }

  /** Runs {@code work} on the blocking executor and sends its reply, or the error it threw, on the event loop. */
  CompletionStage<Void> replyWith(Supplier<Reply> work) {
    CompletableFuture<Reply> produced = CompletableFuture.supplyAsync(work, blocking);
    return produced.handleAsync((reply, failure) -> {
      send(failure == null ? reply : new Reply.Full(OciErrorResponder.toResponse(failure)));
      return null;
    }, ctx.executor());
  }

  void sendError(Throwable failure) {
    send(new Reply.Full(OciErrorResponder.toResponse(failure)));
  }

  /** Writes the reply; must run on the event loop. A second reply to one request is dropped. */
  void send(Reply reply) {
    if (replied) {
      if (reply instanceof Reply.File file) file.content().close();
      return;
    }
    replied = true;
    onReplied.run();
    boolean keep = keepAlive && !closeAfterReply;
    ChannelFuture done;
    if (reply instanceof Reply.Full full) {
      FullHttpResponse response = full.response();
      HttpUtil.setKeepAlive(response, keep);
      if (isHead() && response.content().isReadable()) response = withoutBody(response);
      done = ctx.writeAndFlush(response);
    } else {
      Reply.File file = (Reply.File) reply;
      HttpResponse head = file.head();
      HttpUtil.setKeepAlive(head, keep);
      ctx.write(head);
      if (!isHead() && file.length() > 0) {
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        if (!tls && ctx.pipeline().get(ChunkedWriteHandler.class) == null) {
          ctx.write(new DefaultFileRegion(file.content().channel(), file.position(), file.length()));
        } else if (!tls) {
          // a client on this host, see HttpServer.initChannel. A chunk that cannot be read (a failed map) fails only
          // this write: the head promised Content-Length, so the connection must close rather than carry on.
          ctx.write(new MappedFileChunks(file.content().channel(), file.position(), file.length(), MappedFileChunks.WINDOW,
              ctx.channel())).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
          // TLS encrypts in user space, so no zero-copy: the file goes out in chunks through ChunkedWriteHandler.
          ctx.write(chunked(file)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
      }
      done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      done.addListener(f -> file.content().close());
    }
    if (!keep) done.addListener(f -> lingeringClose(ctx));
    log.info("http method={} route={} status={} duration_ms={}",
        method(), match == null ? "none" : match.route().template(), reply.status(), (System.nanoTime() - startNanos) / 1_000_000);
  }

  /**
   * Closes a connection whose client may still be sending a body we refused. Closing a socket with unread
   * input makes the kernel send a reset, which can destroy the answer before the client read it; so the
   * output is shut first (the client sees the answer and end-of-stream), what still arrives is read and
   * dropped, and the connection is closed a moment later (a "lingering close", as nginx does).
   */
  private static void lingeringClose(ChannelHandlerContext ctx) {
    if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
      ctx.close();
      return;
    }
    duplex.shutdownOutput().addListener(f -> {
      ctx.channel().config().setAutoRead(true);
      ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    });
  }

  private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

  private static ChunkedNioFile chunked(Reply.File file) {
    try {
      return new ChunkedNioFile(file.content().channel(), file.position(), file.length(), TLS_CHUNK);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final int TLS_CHUNK = 64 * 1024;

  /** A HEAD answer keeps the headers, Content-Length included, and drops the body. */
  private static FullHttpResponse withoutBody(FullHttpResponse response) {
    FullHttpResponse head = new DefaultFullHttpResponse(response.protocolVersion(), response.status());
    head.headers().set(response.headers());
    response.release();
    return head;
  }

  static void sendContinue(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
  }

  static boolean expectsContinue(HttpRequest request) {
    return HttpUtil.is100ContinueExpected(request);
  }

  static long contentLength(HttpRequest request) {
    return HttpUtil.getContentLength(request, -1L);
  }

  static boolean hasBodyBeyond(HttpRequest request, long limit) {
    long length = contentLength(request);
    return length > limit || (length < 0 && HttpUtil.isTransferEncodingChunked(request));
  }
}
