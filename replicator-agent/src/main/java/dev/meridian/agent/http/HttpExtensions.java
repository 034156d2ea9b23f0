package dev.meridian.agent.http;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.AdminService;
import dev.meridian.agent.repair.RepairService;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HTTP edge serves besides the OCI API: the admin API, the Prometheus scrape, and who is told
 * about each request. An agent without them answers 404 on {@code /admin/v1/...} and {@code /metrics}.
 *
 * @param metrics the scrape in Prometheus text format
 * @param repair the scrubber and anti-entropy endpoints
 */
public record HttpExtensions(Optional<AdminService> admin, Optional<Supplier<String>> metrics, RequestListener listener,
    Optional<RepairService> repair) {
  public HttpExtensions {
    requireNonNull(admin, "admin");
    requireNonNull(metrics, "metrics");
    requireNonNull(listener, "listener");
    requireNonNull(repair, "repair");
  }

  public HttpExtensions(Optional<AdminService> admin, Optional<Supplier<String>> metrics, RequestListener listener) {
    this(admin, metrics, listener, Optional.empty());
  }

  public static HttpExtensions none() {
    return new HttpExtensions(Optional.empty(), Optional.empty(), RequestListener.NONE);
  }
}
