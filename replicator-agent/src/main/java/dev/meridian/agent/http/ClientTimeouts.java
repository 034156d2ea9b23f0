package dev.meridian.agent.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections of clients that stopped talking, on the events of an {@code IdleStateHandler} in front of
 * it: a request whose body stops arriving for the body timeout (reader idle while a request is being received),
 * and a connection with nothing read or written for the idle timeout (a forgotten keep-alive, a client that
 * stopped reading a download). Never while the server itself is working on the connection ({@code autoRead}
 * off: a chunk being written, a manifest committed), since that silence is ours. Closing aborts the request's
 * exchange, which leaves an upload session resumable with the bytes it holds.
 */
final class ClientTimeouts extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(ClientTimeouts.class);
  private boolean receiving;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) receiving = true;
    if (msg instanceof LastHttpContent) receiving = false;
    super.channelRead(ctx, msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent idle) {
      boolean waitingOnClient = ctx.channel().config().isAutoRead();
      if (waitingOnClient && (idle.state() == IdleState.ALL_IDLE || idle.state() == IdleState.READER_IDLE && receiving)) {
        log.info("http.client_timeout remote={} state={} mid_request={}", ctx.channel().remoteAddress(), idle.state(), receiving);
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }
}
