package dev.meridian.agent.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Asks every region at once and waits at most {@code timeout} for all of them together: a region that fails
 * or does not answer in time is replaced by what {@code onFailure} makes of it, so one dead region costs the
 * caller one timeout, never one per region. Results keep the order of the targets.
 */
public final class FleetFanOut {
  private FleetFanOut() {}

  public static <T, R> List<R> gather(List<T> targets, Function<T, CompletableFuture<R>> ask, Duration timeout,
      BiFunction<T, String, R> onFailure) {
    List<CompletableFuture<R>> asked = new ArrayList<>(targets.size());
    for (T target : targets) {
      CompletableFuture<R> answer;
      try {
        answer = ask.apply(target);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      asked.add(answer.copy().orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .handle((r, e) -> e == null ? r : onFailure.apply(target, describe(e, timeout))));
    }
    List<R> results = new ArrayList<>(targets.size());
    for (CompletableFuture<R> answer : asked) results.add(answer.join());
    return results;
  }

  static String describe(Throwable failure, Duration timeout) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
