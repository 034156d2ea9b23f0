package dev.meridian.agent.http;

import dev.meridian.core.error.RegistryException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An exchange whose body, if any, is small: it is gathered in memory up to {@code maxBody} bytes (4 MiB + 0
 * for a manifest, 0 elsewhere: a body where none is expected is read and dropped), then the action runs on
 * the blocking executor. A body beyond the limit is refused at once, with the connection closed rather
 * than read to its end. A refusal decided from the head alone is answered after a small body was drained,
 * or at once (closing) when the body is large or the client waits for {@code 100 Continue}.
 */
final class BufferedExchange implements Exchange {
  /** What to do with the gathered body; runs on the blocking executor. */
  @FunctionalInterface
  interface Action {
    Reply run(byte[] body);
  }

  /** Bodies up to this size are drained before answering a refusal, so the answer is not lost in a reset. */
  private static final long DRAIN_LIMIT = 64 * 1024;

  private final Call call;
  private final int maxBody;
  private final RegistryException tooLarge;
  private final RegistryException refusal;
  private final Action action;
  private ByteArrayOutputStream body;

  private BufferedExchange(Call call, int maxBody, RegistryException tooLarge, RegistryException refusal, Action action) {
    this.call = call;
    this.maxBody = maxBody;
    this.tooLarge = tooLarge;
    this.refusal = refusal;
    this.action = action;
  }

  /** No body expected: whatever comes is dropped. */
  static BufferedExchange bodiless(Call call, Action action) {
    return new BufferedExchange(call, 0, null, null, action);
  }

  /** A body of at most {@code maxBody} bytes, else {@code tooLarge}. */
  static BufferedExchange upTo(Call call, int maxBody, RegistryException tooLarge, Action action) {
    return new BufferedExchange(call, maxBody, tooLarge, null, action);
  }

  /** Answers {@code refusal} whatever the body. */
  static BufferedExchange refusing(Call call, RegistryException refusal) {
    return new BufferedExchange(call, 0, null, refusal, null);
  }

  @Override
  public CompletionStage<Void> start() {
    if (refusal != null) {
      if (Call.expectsContinue(call.request) || Call.hasBodyBeyond(call.request, DRAIN_LIMIT)) refuseNow(refusal);
    } else if (maxBody > 0 && Call.contentLength(call.request) > maxBody) {
      refuseNow(tooLarge);
    } else if (maxBody > 0) {
      body = new ByteArrayOutputStream((int) Math.max(0, Math.min(Call.contentLength(call.request), maxBody)));
    }
    return CompletableFuture.completedFuture(null);
  }

  private void refuseNow(RegistryException error) {
    call.closeAfterReply();
    call.sendError(error);
  }

  @Override
  public CompletionStage<Void> content(HttpContent content) {
    try {
      if (!call.replied() && body != null) {
        int readable = content.content().readableBytes();
        if (body.size() + (long) readable > maxBody) {
          body = null;
          refuseNow(tooLarge);
        } else {
          content.content().readBytes(body, readable);
        }
      }
    } catch (java.io.IOException impossible) {
      throw new IllegalStateException(impossible);
    } finally {
      content.release();
    }
    if (!(content instanceof LastHttpContent) || call.replied()) return CompletableFuture.completedFuture(null);
    if (refusal != null) {
      call.sendError(refusal);
      return CompletableFuture.completedFuture(null);
    }
    byte[] bytes = body == null ? new byte[0] : body.toByteArray();
    return call.replyWith(() -> action.run(bytes));
  }
}
