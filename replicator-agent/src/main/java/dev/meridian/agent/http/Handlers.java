package dev.meridian.agent.http;

import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import java.util.function.BooleanSupplier;

/** Picks the handler, and so the exchange, for a routed request. */
final class Handlers {
  private final ProbeHandler probes;
  private final ManifestHandler manifests;
  private final BlobHandler blobs;
  private final UploadHandler uploads;
  private final ListingHandler listings;
  private final AdminHandler admin;

  Handlers(RegistryService service, BooleanSupplier serving) {
    this(service, serving, HttpExtensions.none());
  }

  Handlers(RegistryService service, BooleanSupplier serving, HttpExtensions extensions) {
    this.admin = new AdminHandler(extensions);
    this.probes = new ProbeHandler(service, serving);
    this.manifests = new ManifestHandler(service);
    this.blobs = new BlobHandler(service);
    this.uploads = new UploadHandler(service);
    this.listings = new ListingHandler(service);
  }

  Exchange exchangeFor(Call call) {
    return switch (call.match.route()) {
      case BASE, HEALTHZ, READYZ -> probes.exchange(call);
      case CATALOG, TAGS_LIST, REFERRERS -> listings.exchange(call);
      case MANIFEST -> manifests.exchange(call);
      case BLOB -> blobs.exchange(call);
      case UPLOAD_START, UPLOAD -> uploads.exchange(call);
      case ADMIN_REGION, ADMIN_REGIONS, ADMIN_MANIFEST_STATUS, ADMIN_REPLICATION_STATUS, METRICS -> admin.exchange(call);
    };
  }

  /** The request's repository; {@code NAME_INVALID} if the name breaks the grammar. */
  static RepositoryName repository(Call call) {
    return new RepositoryName(call.match.requireName());
  }

  /** The request's digest path parameter; {@code DIGEST_INVALID} if it is not one. */
  static Digest digestParameter(Call call) {
    return Digest.parse(call.match.requireParameter());
  }
}
