package dev.meridian.agent.transfer;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The resilience around one fetch from one peer: a {@link Retry} with exponential random backoff for outages,
 * inside a {@link CircuitBreaker} per peer region, so a sick peer is skipped for a while instead of being asked
 * by every job.
 *
 * <p>What counts against a peer: outages ({@link PeerUnavailableException}) and content that does not match its
 * digest or size (a corrupt peer). A 404 does not: it is a healthy peer's answer.
 */
final class TransferPolicies {
  private final Retry retry;
  private final CircuitBreakerRegistry breakers;

  /** @param stopping true once the worker stops: a fetch then gives up rather than retry */
  TransferPolicies(TransferConfig config, BooleanSupplier stopping) {
    this.retry = Retry.of("blob-transfer", RetryConfig.custom()
        .maxAttempts(config.retryAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
            config.retryInitialBackoff(), 2.0, config.retryMaxBackoff()))
        .retryOnException(e -> e instanceof PeerUnavailableException
            && !stopping.getAsBoolean() && !Thread.currentThread().isInterrupted())
        .build());
    this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(config.breakerWindowSize())
        .minimumNumberOfCalls(config.breakerMinimumCalls())
        .failureRateThreshold(config.breakerFailureRate())
        .waitDurationInOpenState(config.breakerOpenDuration())
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordException(TransferPolicies::countsAgainstPeer)
        .build());
  }

  static boolean countsAgainstPeer(Throwable e) {
    if (e instanceof PeerUnavailableException) return true;
    return e instanceof RegistryException r
        && (r.code() == OciErrorCode.DIGEST_INVALID || r.code() == OciErrorCode.SIZE_INVALID || r.code() == OciErrorCode.MANIFEST_INVALID);
  }

  /** Runs {@code attempt} against {@code peer} with retries, through the peer's breaker. */
  <T> T call(RegionId peer, Supplier<T> attempt) {
    CircuitBreaker breaker = breaker(peer);
    return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, attempt)).get();
  }

  /**
   * Whether the peer's breaker refuses calls now. Asking moves an open breaker whose pause is over to
   * half-open; the permission taken to find out is given back.
   */
  boolean isOpen(RegionId peer) {
    CircuitBreaker breaker = breaker(peer);
    if (!breaker.tryAcquirePermission()) return true;
    breaker.releasePermission();
    return false;
  }

  CircuitBreakerRegistry breakers() {
    return breakers;
  }

  CircuitBreaker breaker(RegionId peer) {
    return breakers.circuitBreaker(peer.value());
  }
}
