package dev.meridian.agent.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the codec and the dispatcher and tells the {@link RequestListener} about each request once
 * its response head was written: requests on a connection are answered one at a time and in order, so
 * heads pair with requests first in, first out. Interim {@code 1xx} heads are not answers. Routes come
 * from the same pure {@link Router}, so the label is the route template, never the raw path.
 */
final class RequestObserver extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestObserver.class);

  private record Started(String method, RouteMatch match, long nanos) {}

  private final Router router;
  private final RequestListener listener;
  private final ArrayDeque<Started> waiting = new ArrayDeque<>();

  RequestObserver(Router router, RequestListener listener) {
    this.router = router;
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest request) {
      RouteMatch match;
      try {
        match = request.decoderResult().isSuccess() ? router.match(request.uri()).orElse(null) : null;
      } catch (RuntimeException e) {
        match = null; // the dispatcher answers the malformed target
      }
      waiting.add(new Started(request.method().name(), match, System.nanoTime()));
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response && response.status().code() >= 200) {
      Started started = waiting.poll();
      if (started != null) {
        var answered = answered(ctx.channel().remoteAddress(), started, response);
        promise.addListener(f -> {
          if (f.isSuccess()) notify(answered);
        });
      }
    }
    super.write(ctx, msg, promise);
  }

  private void notify(RequestListener.AnsweredRequest answered) {
    try {
      listener.answered(answered);
    } catch (RuntimeException e) {
      log.warn("request listener failed reason={}", e.toString());
    }
  }

  private static RequestListener.AnsweredRequest answered(SocketAddress remote, Started started, HttpResponse response) {
    RouteMatch match = started.match();
    String address = remote instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    return new RequestListener.AnsweredRequest(started.method(), match == null ? "none" : match.route().template(),
        match == null ? Optional.empty() : match.name(), match == null ? Optional.empty() : match.parameter(),
        response.status().code(), Duration.ofNanos(System.nanoTime() - started.nanos()), address,
        Optional.ofNullable(response.headers().get(Responses.CONTENT_DIGEST)));
  }
}
