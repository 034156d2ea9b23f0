package dev.meridian.agent.http;

/**
 * The routes of the OCI distribution API (v1.1) plus the health probes, the admin API, the metrics and the
 * registry token endpoint, each with its template. The
 * template doubles as a low-cardinality label for logs and metrics.
 *
 * <p>See <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#endpoints">the
 * spec's endpoint table</a>.
 */
public enum Route {
  BASE("/v2/"),
  CATALOG("/v2/_catalog"),
  TAGS_LIST("/v2/{name}/tags/list"),
  MANIFEST("/v2/{name}/manifests/{reference}"),
  BLOB("/v2/{name}/blobs/{digest}"),
  UPLOAD_START("/v2/{name}/blobs/uploads/"),
  UPLOAD("/v2/{name}/blobs/uploads/{session}"),
  REFERRERS("/v2/{name}/referrers/{digest}"),
  HEALTHZ("/healthz"),
  READYZ("/readyz"),
  ADMIN_REGION("/admin/v1/region"),
  ADMIN_REGIONS("/admin/v1/regions"),
  ADMIN_MANIFEST_STATUS("/admin/v1/region/manifest-status"),
  ADMIN_REPLICATION_STATUS("/admin/v1/replication/status"),
  ADMIN_SNAPSHOT("/admin/v1/snapshot"),
  ADMIN_REPLICATIONS("/admin/v1/replications"),
  ADMIN_REPLICATION("/admin/v1/replications/{region}"),
  ADMIN_COSTS("/admin/v1/costs"),
  ADMIN_SCRUB("/admin/v1/scrub"),
  ADMIN_ANTI_ENTROPY("/admin/v1/antientropy"),
  ADMIN_ANTI_ENTROPY_SUMMARY("/admin/v1/antientropy/summary"),
  ADMIN_ANTI_ENTROPY_REPOSITORY("/admin/v1/antientropy/repository/{name}"),
  ADMIN_ISOLATION("/admin/v1/region/isolation"),
  ADMIN_GC("/admin/v1/gc"),
  ADMIN_LOCK("/admin/v1/lock"),
  ADMIN_PURGE("/admin/v1/purge"),
  ADMIN_RESTORE("/admin/v1/restore"),
  ADMIN_DELETED("/admin/v1/deleted"),
  ADMIN_RETENTION("/admin/v1/retention"),
  ADMIN_NOTIFICATIONS("/admin/v1/notifications"),
  METRICS("/metrics"),
  TOKEN("/auth/token"),
  ADMIN_TOKENS("/admin/v1/tokens"),
  ADMIN_TOKEN("/admin/v1/tokens/{name}");

  private final String template;

  Route(String template) {
    this.template = template;
  }

  public String template() {
    return template;
  }
}
