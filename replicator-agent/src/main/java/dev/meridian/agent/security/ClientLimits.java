package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.frontdoor.CidrBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client (one remote address) may ask of a region's HTTP listener. The defaults let any honest
 * client through (the fleet's own traffic included) and only cut off clients that hold a connection without
 * using it.
 *
 * @param requestsPerSecond sustained requests per second per remote address; 0 turns the rate limit off
 * @param burst requests a client may send at once after a pause (the token bucket's size)
 * @param maxConcurrentUploads upload requests (POST, PATCH, PUT of an upload) in progress at once per remote
 *     address; 0 means unlimited
 * @param bodyTimeout a request whose body stops arriving for this long is cut off (its upload stays resumable)
 * @param idleTimeout a connection on which nothing is read or written for this long is closed
 * @param exempt ranges never rate limited nor capped (e.g. the fleet's own regions and front door)
 */
public record ClientLimits(
    double requestsPerSecond, int burst, int maxConcurrentUploads, Duration bodyTimeout, Duration idleTimeout,
    List<CidrBlock> exempt) {
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);

  public ClientLimits {
    List<String> problems = new ArrayList<>();
    if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) problems.add("requests per second must be >= 0");
    if (requestsPerSecond > 0 && burst < 1) problems.add("burst must be >= 1");
    if (maxConcurrentUploads < 0) problems.add("concurrent uploads must be >= 0");
    requireNonNull(bodyTimeout, "bodyTimeout");
    requireNonNull(idleTimeout, "idleTimeout");
    if (bodyTimeout.isNegative() || bodyTimeout.isZero()) problems.add("body timeout must be positive");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) problems.add("idle timeout must be positive");
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    exempt = List.copyOf(exempt);
  }

  /** No rate limit, no upload cap, generous timeouts. */
  public static ClientLimits defaults() {
    return new ClientLimits(0, 0, 0, DEFAULT_BODY_TIMEOUT, DEFAULT_IDLE_TIMEOUT, List.of());
  }

  public boolean rateLimited() {
    return requestsPerSecond > 0;
  }

  public ClientLimits withRate(double perSecond, int burstSize) {
    return new ClientLimits(perSecond, burstSize, maxConcurrentUploads, bodyTimeout, idleTimeout, exempt);
  }

  public ClientLimits withMaxConcurrentUploads(int uploads) {
    return new ClientLimits(requestsPerSecond, burst, uploads, bodyTimeout, idleTimeout, exempt);
  }

  public ClientLimits withTimeouts(Duration body, Duration idle) {
    return new ClientLimits(requestsPerSecond, burst, maxConcurrentUploads, body, idle, exempt);
  }

  public ClientLimits withExempt(List<CidrBlock> ranges) {
    return new ClientLimits(requestsPerSecond, burst, maxConcurrentUploads, bodyTimeout, idleTimeout, ranges);
  }
}
