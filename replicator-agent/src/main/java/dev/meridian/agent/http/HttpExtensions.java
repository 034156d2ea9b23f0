package dev.meridian.agent.http;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.admin.AdminService;
import dev.meridian.agent.repair.RepairService;
import dev.meridian.agent.security.AccessAudit;
import dev.meridian.agent.security.RegistrySecurity;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the HTTP edge serves besides the OCI API: the admin API, the Prometheus scrape, who is told about
 * each request, the repair endpoints, and access control. An agent without them answers 404 on
 * {@code /admin/v1/...} and {@code /metrics}; without {@code security} every route is open (an agent always has
 * it: only tests of the HTTP edge alone leave it out).
 *
 * @param metrics the scrape in Prometheus text format
 * @param repair the scrubber and anti-entropy endpoints
 * @param audit told about refused requests
 */
public record HttpExtensions(Optional<AdminService> admin, Optional<Supplier<String>> metrics, RequestListener listener,
    Optional<RepairService> repair, Optional<RegistrySecurity> security, AccessAudit audit) {
  public HttpExtensions {
    requireNonNull(admin, "admin");
    requireNonNull(metrics, "metrics");
    requireNonNull(listener, "listener");
    requireNonNull(repair, "repair");
    requireNonNull(security, "security");
    requireNonNull(audit, "audit");
  }

  /** Without access control. */
  public HttpExtensions(Optional<AdminService> admin, Optional<Supplier<String>> metrics, RequestListener listener,
      Optional<RepairService> repair) {
    this(admin, metrics, listener, repair, Optional.empty(), AccessAudit.NONE);
  }

  /** Without repair endpoints nor access control. */
  public HttpExtensions(Optional<AdminService> admin, Optional<Supplier<String>> metrics, RequestListener listener) {
    this(admin, metrics, listener, Optional.empty());
  }

  public static HttpExtensions none() {
    return new HttpExtensions(Optional.empty(), Optional.empty(), RequestListener.NONE);
  }

  /** The same, with access control by {@code security}, refusals told to {@code audit}. */
  public HttpExtensions secured(RegistrySecurity security, AccessAudit audit) {
    return new HttpExtensions(admin, metrics, listener, repair, Optional.of(security), audit);
  }
}
