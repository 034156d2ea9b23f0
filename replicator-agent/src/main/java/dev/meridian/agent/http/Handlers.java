package dev.meridian.agent.http;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Picks the handler, and so the exchange, for a routed request. */
final class Handlers {
  private final ProbeHandler probes;
  private final ManifestHandler manifests;
  private final BlobHandler blobs;
  private final UploadHandler uploads;
  private final ListingHandler listings;
  private final AdminHandler admin;
  private final BooleanSupplier isolated;
  private final TokenHandler tokens;
  private final CredentialHandler credentials;

  Handlers(RegistryService service, BooleanSupplier serving) {
    this(service, serving, HttpExtensions.none());
  }

  Handlers(RegistryService service, BooleanSupplier serving, HttpExtensions extensions) {
    this(service, serving, extensions, ReadThrough.NONE);
  }

  Handlers(RegistryService service, BooleanSupplier serving, HttpExtensions extensions, ReadThrough readThrough) {
    this.admin = new AdminHandler(extensions, service);
    this.isolated = () -> extensions.admin().map(a -> a.isolation().isolated()).orElse(false);
    // A region not in the fleet (not created yet, or deleted) is not ready: the front door routes elsewhere.
    this.probes = new ProbeHandler(service,
        () -> serving.getAsBoolean() && extensions.admin().map(dev.meridian.agent.admin.AdminService::inFleet).orElse(true));
    this.manifests = new ManifestHandler(service, readThrough);
    this.blobs = new BlobHandler(service, readThrough, extensions.repair());
    this.uploads = new UploadHandler(service);
    this.listings = new ListingHandler(service);
    this.tokens = extensions.security().map(s -> new TokenHandler(s.policy(), extensions.audit())).orElse(null);
    this.credentials = extensions.security().map(CredentialHandler::new).orElse(null);
  }

  Exchange exchangeFor(Call call) {
    if (isolated.getAsBoolean() && call.match.route().template().startsWith("/v2/") && call.header(INTERNAL_HEADER).isPresent()) {
      // Cut off from the fleet (a failover drill): peers must see what a partition would show them.
      return BufferedExchange.refusing(call, new RegistryException(OciErrorCode.UNAVAILABLE,
          "this region is isolated from the fleet", null, 503));
    }
    return switch (call.match.route()) {
      case BASE, HEALTHZ, READYZ -> probes.exchange(call);
      case CATALOG, TAGS_LIST, REFERRERS -> listings.exchange(call);
      case MANIFEST -> manifests.exchange(call);
      case BLOB -> blobs.exchange(call);
      case UPLOAD_START, UPLOAD -> uploads.exchange(call);
      case ADMIN_REGION, ADMIN_REGIONS, ADMIN_MANIFEST_STATUS, ADMIN_REPLICATION_STATUS, ADMIN_SNAPSHOT, METRICS,
          ADMIN_REPLICATIONS, ADMIN_REPLICATION, ADMIN_COSTS, ADMIN_ISOLATION -> admin.exchange(call);
      case ADMIN_SCRUB, ADMIN_ANTI_ENTROPY, ADMIN_ANTI_ENTROPY_SUMMARY, ADMIN_ANTI_ENTROPY_REPOSITORY -> admin.exchange(call);
      case ADMIN_GC, ADMIN_NOTIFICATIONS, ADMIN_LOCK, ADMIN_PURGE, ADMIN_RETENTION, ADMIN_RESTORE, ADMIN_DELETED -> admin.exchange(call);
      case TOKEN -> tokens == null ? notServed(call, "the token endpoint") : tokens.exchange(call);
      case ADMIN_TOKENS, ADMIN_TOKEN -> credentials == null ? notServed(call, "token management") : credentials.exchange(call);
    };
  }

  private static Exchange notServed(Call call, String what) {
    return BufferedExchange.refusing(call, new RegistryException(OciErrorCode.UNSUPPORTED, what + " is not served by this agent", null, 404));
  }

  /** The request's repository; {@code NAME_INVALID} if the name breaks the grammar. */
  static RepositoryName repository(Call call) {
    return new RepositoryName(call.match.requireName());
  }

  /**
   * {@code local}, or, when it finds nothing ({@code NAME_UNKNOWN}, {@code MANIFEST_UNKNOWN}, {@code BLOB_UNKNOWN})
   * and {@code fetch} brings the content from a peer, {@code local} again. A request from a peer
   * ({@code Meridian-Internal: no-read-through}) is answered from local content only: regions never fetch on
   * each other's behalf, so one missing piece cannot bounce around the fleet.
   */
  static <T> T orReadThrough(Call call, Supplier<T> local, BooleanSupplier fetch) {
    try {
      return local.get();
    } catch (RegistryException e) {
      boolean absent = e.code() == OciErrorCode.NAME_UNKNOWN || e.code() == OciErrorCode.MANIFEST_UNKNOWN
          || e.code() == OciErrorCode.BLOB_UNKNOWN;
      boolean internal = isInternal(call);
      if (!absent || internal || !fetch.getAsBoolean()) throw e;
      return local.get();
    }
  }

  /** A request from a peer region ({@code Meridian-Internal: no-read-through}). */
  static boolean isInternal(Call call) {
    return call.header(INTERNAL_HEADER).filter(v -> v.contains(NO_READ_THROUGH)).isPresent();
  }

  static final String INTERNAL_HEADER = "Meridian-Internal";
  static final String NO_READ_THROUGH = "no-read-through";

  /** The request's digest path parameter; {@code DIGEST_INVALID} if it is not one. */
  static Digest digestParameter(Call call) {
    return Digest.parse(call.match.requireParameter());
  }
}
