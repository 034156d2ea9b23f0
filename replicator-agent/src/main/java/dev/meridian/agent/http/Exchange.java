package dev.meridian.agent.http;

import io.netty.handler.codec.http.HttpContent;
import java.util.concurrent.CompletionStage;

/**
 * How one request's body is consumed and answered. The dispatcher calls {@link #start} with the head, then
 * {@link #content} for each piece of the body in order, waiting for each returned stage before reading
 * more: that is the backpressure. The exchange releases every piece it is given.
 */
interface Exchange {

  CompletionStage<Void> start();

  CompletionStage<Void> content(HttpContent content);

  /** The connection closed before the exchange finished; release what it holds. */
  default void abort() {}
}
