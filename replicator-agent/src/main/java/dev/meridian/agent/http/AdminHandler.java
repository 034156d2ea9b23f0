package dev.meridian.agent.http;

import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.AdminService;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import io.netty.handler.codec.http.HttpResponseStatus;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.state.LockRecord;
import dev.meridian.agent.lifecycle.PurgeFilter;
import dev.meridian.agent.lifecycle.Purger;
import dev.meridian.core.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code /admin/v1/...} (the JSON is {@link AdminJson}'s) and {@code /metrics}. Bad input is answered in the
 * OCI error form like everywhere else. The fleet views block up to the fan-out timeout, on the blocking pool.
 */
final class AdminHandler {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpExtensions extensions;
  private final RegistryService service;

  AdminHandler(HttpExtensions extensions, RegistryService service) {
    this.extensions = extensions;
    this.service = service;
  }

  Exchange exchange(Call call) {
    return BufferedExchange.bodiless(call, body -> switch (call.match.route()) {
      case METRICS -> metrics();
      case ADMIN_REGION -> json(AdminJson.region(admin().region()));
      case ADMIN_REGIONS -> json(AdminJson.regions(admin().regions()));
      case ADMIN_MANIFEST_STATUS -> json(AdminJson.facts(admin().manifestFacts(repository(call), reference(call),
          call.match.queryParam("expect").map(Digest::parse))));
      case ADMIN_REPLICATION_STATUS -> json(AdminJson.report(admin().replicationStatus(repository(call), reference(call))));
      case ADMIN_RESTORE -> json(AdminJson.manifest(service.restoreManifest(repository(call),
          Digest.parse(required(call, "digest")), call.match.queryParam("tag").filter(t -> !t.isEmpty()).map(Tag::new),
          admin().softDelete())));
      case ADMIN_DELETED -> json(AdminJson.manifests(service.listRestorable(repository(call), admin().softDelete())));
      case ADMIN_PURGE -> json(AdminJson.purge(admin().purge(purgeRequest(call))));
      case ADMIN_RETENTION -> json(AdminJson.purge(retention(call)));
      case ADMIN_LOCK -> json(AdminJson.lock(lock(call)));
      case ADMIN_GC -> json(AdminJson.gc(admin().collectGarbage(flag(call, "dryRun"))));
      default -> throw new IllegalStateException("not an admin route: " + call.match.route());
    });
  }

  private Reply metrics() {
    String scrape = extensions.metrics().orElseThrow(() -> notServed("metrics")).get();
    return new Reply.Full(Responses.bytes(HttpResponseStatus.OK, PROMETHEUS_TEXT, scrape.getBytes(StandardCharsets.UTF_8)));
  }

  private AdminService admin() {
    return extensions.admin().orElseThrow(() -> notServed("the admin API"));
  }

  private static RegistryException notServed(String what) {
    return new RegistryException(OciErrorCode.UNSUPPORTED, what + " is not served by this agent", null, 404);
  }

  private static Reply json(com.fasterxml.jackson.databind.JsonNode node) {
    return new Reply.Full(Responses.bytes(HttpResponseStatus.OK, "application/json", AdminJson.bytes(node)));
  }

  private static RepositoryName repository(Call call) {
    return new RepositoryName(required(call, "repository"));
  }

  private static Reference reference(Call call) {
    return Reference.parse(required(call, "reference"));
  }

  private static Purger.Request purgeRequest(Call call) {
    try {
      List<PurgeFilter> filters = call.match.queryParams("filter").stream().map(PurgeFilter::parse).toList();
      long ago = Long.parseLong(call.match.queryParam("agoSeconds").orElse("0"));
      int keep = Integer.parseInt(call.match.queryParam("keep").orElse("0"));
      return new Purger.Request(filters, Duration.ofSeconds(ago), keep, flag(call, "untagged"), flag(call, "dryRun"));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, e.getMessage(), null, 400);
    }
  }

  private Purger.Report retention(Call call) {
    try {
      return admin().retention(flag(call, "dryRun"));
    } catch (IllegalStateException e) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, e.getMessage(), null, 409);
    }
  }

  /** GET reads the lock (enabled flags when none was set); POST changes the flags given. */
  private LockRecord lock(Call call) {
    RepositoryName repository = repository(call);
    Optional<Reference> reference = call.match.queryParam("reference").filter(v -> !v.isEmpty()).map(Reference::parse);
    if (call.request.method().name().equals("GET")) {
      return service.locks().find(repository, reference).orElse(new LockRecord(repository, reference, true, true,
          new Stamp(HlcTimestamp.ZERO, service.region())));
    }
    Optional<Boolean> write = call.match.queryParam("writeEnabled").map(v -> flag(call, "writeEnabled"));
    Optional<Boolean> delete = call.match.queryParam("deleteEnabled").map(v -> flag(call, "deleteEnabled"));
    if (write.isEmpty() && delete.isEmpty()) {
      throw new RegistryException(OciErrorCode.UNSUPPORTED, "give writeEnabled or deleteEnabled", null, 400);
    }
    return service.updateLock(repository, reference, write, delete);
  }

  private static boolean flag(Call call, String parameter) {
    String value = call.match.queryParam(parameter).orElse("false");
    return switch (value) {
      case "true", "" -> true;
      case "false" -> false;
      default -> throw new RegistryException(OciErrorCode.UNSUPPORTED,
          "query parameter " + parameter + " must be true or false", value, 400);
    };
  }

  private static String required(Call call, String parameter) {
    Optional<String> value = call.match.queryParam(parameter).filter(v -> !v.isEmpty());
    return value.orElseThrow(() -> new RegistryException(OciErrorCode.UNSUPPORTED,
        "query parameter " + parameter + " is required", parameter, 400));
  }
}
