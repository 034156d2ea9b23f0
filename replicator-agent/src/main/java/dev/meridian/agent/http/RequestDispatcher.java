package dev.meridian.agent.http;

import dev.meridian.agent.security.ClientRateLimiter;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Feeds one connection's requests, one at a time and in order, to the {@link Exchange} their route calls
 * for. While an exchange works (a chunk being written to disk, a manifest committed) the channel stops
 * reading ({@code autoRead} off) and messages already decoded wait in an inbox: nothing is buffered beyond
 * one read, and no disk or RocksDB work runs on the event loop.
 *
 * <p>Each request is first admitted by the {@link ClientRateLimiter} of its remote address: over the rate, or
 * over the uploads in progress, it is answered {@code 429 TOOMANYREQUESTS} with {@code Retry-After} and its body
 * is not read into any upload. An admitted upload frees its place when answered or when the connection drops.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  private final Router router;
  private final Handlers handlers;
  private final Executor blocking;
  private final ClientRateLimiter limiter;
  private Runnable uploadDone;
  private final AccessGuard guard;
  private final ArrayDeque<HttpObject> inbox = new ArrayDeque<>();
  private boolean busy;
  private Exchange exchange;
  private boolean closing;

  RequestDispatcher(Router router, Handlers handlers, Executor blocking) {
    this(router, handlers, blocking, new ClientRateLimiter(dev.meridian.agent.security.ClientLimits.defaults()), null);
  }

  /**
   * With {@code limiter} admitting each request by its client's address, then {@code guard} (null: every route
   * open) deciding it before its handler sees it.
   */
  RequestDispatcher(Router router, Handlers handlers, Executor blocking, ClientRateLimiter limiter, AccessGuard guard) {
    this.router = router;
    this.handlers = handlers;
    this.blocking = blocking;
    this.limiter = limiter;
    this.guard = guard;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject object)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    inbox.add(object);
    pump(ctx);
  }

  private void pump(ChannelHandlerContext ctx) {
    while (!busy && !inbox.isEmpty()) {
      if (!ctx.channel().isActive()) {
        drainInbox();
        return;
      }
      HttpObject next = inbox.poll();
      CompletionStage<Void> step;
      try {
        step = handle(ctx, next);
      } catch (RuntimeException e) {
        step = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<Void> future = step.toCompletableFuture();
      if (!future.isDone()) {
        busy = true;
        future.whenCompleteAsync((ignored, failure) -> {
          busy = false;
          if (failure != null) ctx.close();
          pump(ctx);
        }, ctx.executor());
      } else if (future.isCompletedExceptionally()) {
        ctx.close();
      }
    }
    ctx.channel().config().setAutoRead(!busy && inbox.isEmpty());
  }

  private CompletionStage<Void> handle(ChannelHandlerContext ctx, HttpObject object) {
    CompletionStage<Void> result = CompletableFuture.completedFuture(null);
    if (object instanceof HttpRequest request) {
      result = begin(ctx, request);
    }
    if (object instanceof HttpContent content) {
      Exchange current = exchange;
      if (content instanceof LastHttpContent) exchange = null;
      if (current == null || content.decoderResult().isFailure()) {
        content.release();
        if (content.decoderResult().isFailure()) failConnection(ctx, content.decoderResult());
        return result;
      }
      return result.thenCompose(ignored -> current.content(content));
    }
    return result;
  }

  private CompletionStage<Void> begin(ChannelHandlerContext ctx, HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      failConnection(ctx, request.decoderResult());
      return CompletableFuture.completedFuture(null);
    }
    finishUpload(); // a new request on this connection: the one before it is over
    InetAddress client = clientAddress(ctx);
    Optional<Duration> wait = client == null ? Optional.empty() : limiter.admit(client);
    Optional<RouteMatch> match;
    Call call;
    try {
      match = router.match(request.uri());
    } catch (RegistryException e) {
      call = new Call(ctx, request, null, blocking);
      exchange = BufferedExchange.refusing(call, wait.isPresent() ? tooMany(wait.get()) : e);
      return exchange.start();
    }
    call = new Call(ctx, request, match.orElse(null), blocking);
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (wait.isPresent()) {
      exchange = BufferedExchange.refusing(call, tooMany(wait.get()));
    } else if (isUpload(request, match) && !admitUpload(client, call)) {
      exchange = BufferedExchange.refusing(call, new TooManyRequestsException(
          "too many uploads in progress from this client (at most " + limiter.limits().maxConcurrentUploads() + ")",
          Duration.ofSeconds(1)));
    } else if (expect != null && !Call.expectsContinue(request)) {
      exchange = BufferedExchange.refusing(call, new RegistryException(OciErrorCode.UNSUPPORTED, "unsupported expectation", expect, 417));
    } else if (match.isEmpty()) {
      exchange = BufferedExchange.refusing(call, new RegistryException(OciErrorCode.UNSUPPORTED, "no such endpoint", null, 404));
    } else if (!Router.methods(match.get().route()).contains(request.method().name())) {
      exchange = BufferedExchange.refusing(call, new RegistryException(
          OciErrorCode.UNSUPPORTED, request.method() + " is not supported here", match.get().route().template(), 405));
    } else if (guard != null && !guard.isQuick(call)) {
      // Checking a password hashes it (slow on purpose): off the event loop. The channel reads nothing meanwhile.
      Call checked = call;
      return CompletableFuture.supplyAsync(() -> guard.refusal(checked), blocking)
          .thenComposeAsync(refusal -> {
            if (!ctx.channel().isActive()) return CompletableFuture.<Void>completedFuture(null);
            exchange = refusal.<Exchange>map(r -> BufferedExchange.refusing(checked, r)).orElseGet(() -> handlers.exchangeFor(checked));
            return startExchange(ctx, request, checked);
          }, ctx.executor());
    } else {
      Optional<RegistryException> refusal = guard == null ? Optional.empty() : guard.refusal(call);
      exchange = refusal.isPresent() ? BufferedExchange.refusing(call, refusal.get()) : handlers.exchangeFor(call);
    }
    return startExchange(ctx, request, call);
  }

  private CompletionStage<Void> startExchange(ChannelHandlerContext ctx, HttpRequest request, Call call) {
    Exchange started = exchange;
    return started.start().thenRun(() -> {
      if (Call.expectsContinue(request) && !call.replied() && ctx.channel().isActive()) Call.sendContinue(ctx);
    }).exceptionally(failure -> {
      started.abort();
      call.closeAfterReply();
      call.sendError(failure);
      return null;
    });
  }

  private static TooManyRequestsException tooMany(Duration wait) {
    return new TooManyRequestsException("request rate limit exceeded for this client", wait);
  }

  private static boolean isUpload(HttpRequest request, Optional<RouteMatch> match) {
    if (match.isEmpty()) return false;
    Route route = match.get().route();
    String method = request.method().name();
    return (route == Route.UPLOAD_START || route == Route.UPLOAD)
        && (method.equals("POST") || method.equals("PATCH") || method.equals("PUT"));
  }

  /** Takes an upload place for {@code client}; it is given back once, when the call is answered or the connection drops. */
  private boolean admitUpload(InetAddress client, Call call) {
    if (client == null) return true;
    if (!limiter.startUpload(client)) return false;
    boolean[] done = {false};
    Runnable release = () -> {
      if (!done[0]) {
        done[0] = true;
        limiter.uploadDone(client);
      }
    };
    uploadDone = release;
    call.onReplied(release);
    return true;
  }

  private void finishUpload() {
    Runnable release = uploadDone;
    uploadDone = null;
    if (release != null) release.run();
  }

  private static InetAddress clientAddress(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** A request Netty could not decode: answer 400 (414 or 431 when too long) and close, since framing is lost. */
  private void failConnection(ChannelHandlerContext ctx, DecoderResult result) {
    closing = true;
    if (exchange != null) exchange.abort();
    exchange = null;
    drainInbox();
    boolean tooLong = result.cause() instanceof TooLongFrameException;
    HttpResponseStatus status = tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
    var response = OciErrorResponder.error(status, "UNSUPPORTED", "malformed HTTP request", null);
    response.headers().set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(response).addListener(f -> ctx.close());
  }

  private void drainInbox() {
    HttpObject leftover;
    while ((leftover = inbox.poll()) != null) ReferenceCountUtil.release(leftover);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    finishUpload();
    drainInbox();
    if (exchange != null) {
      exchange.abort();
      exchange = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Connection resets and the like: nothing to answer on a broken connection.
    ctx.close();
  }
}
