package dev.meridian.agent.http;

import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.AdminService;
import dev.meridian.agent.repair.RepairJson;
import dev.meridian.agent.repair.RepairService;
import dev.meridian.agent.admin.IsolationJson;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.blob.BlobContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
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
 * OCI error form like everywhere else. The fleet views block up to the fan-out timeout, on the blocking pool; so do
 * a scrub pass and an anti-entropy round run on demand ({@code POST}), which answer when they are done.
 */
final class AdminHandler {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String NDJSON = "application/x-ndjson";

  private static final int MAX_CHANGE = 64 * 1024;

  private final HttpExtensions extensions;
  private final ReplicationRoutes replications;
  private final RegistryService service;

  AdminHandler(HttpExtensions extensions, RegistryService service) {
    this.extensions = extensions;
    this.replications = new ReplicationRoutes(() -> admin().replications()
        .orElseThrow(() -> notServed("managing replications (this agent does not follow a fleet's topology)")));
    this.service = service;
  }

  Exchange exchange(Call call) {
    if (call.match.route() == Route.ADMIN_REPLICATION && (call.method().equals("PUT") || call.method().equals("PATCH"))) {
      return BufferedExchange.upTo(call, MAX_CHANGE, new RegistryException(OciErrorCode.UNSUPPORTED,
          "a replication change is at most " + MAX_CHANGE + " bytes", null, 413), body -> replications.change(call, body));
    }
    if (call.match.route() == Route.ADMIN_COSTS && call.method().equals("PUT")) {
      return BufferedExchange.upTo(call, MAX_CHANGE, new RegistryException(OciErrorCode.UNSUPPORTED,
          "a cost change is at most " + MAX_CHANGE + " bytes", null, 413), body -> replications.costs(call, body));
    }
    return BufferedExchange.bodiless(call, body -> switch (call.match.route()) {
      case ADMIN_COSTS -> replications.costs(call, new byte[0]);
      case ADMIN_REPLICATIONS -> json(AdminJson.replicas(replications.admin().list()));
      case ADMIN_REPLICATION -> replications.readOrDelete(call);
      case METRICS -> metrics();
      case ADMIN_REGION -> json(AdminJson.region(admin().region()));
      case ADMIN_REGIONS -> json(AdminJson.regions(admin().regions()));
      case ADMIN_MANIFEST_STATUS -> json(AdminJson.facts(admin().manifestFacts(repository(call), reference(call),
          call.match.queryParam("expect").map(Digest::parse))));
      case ADMIN_REPLICATION_STATUS -> json(AdminJson.report(admin().replicationStatus(repository(call), reference(call))));
      case ADMIN_SNAPSHOT -> snapshot();
      case ADMIN_SCRUB -> json(RepairJson.scrub(repair().scrub()));
      case ADMIN_ANTI_ENTROPY -> json(RepairJson.antiEntropy(repair().antiEntropy()));
      case ADMIN_ANTI_ENTROPY_SUMMARY -> json(RepairJson.summary(admin().region().id(), repair().summary()));
      case ADMIN_ANTI_ENTROPY_REPOSITORY -> new Reply.Full(Responses.bytes(HttpResponseStatus.OK, NDJSON,
          RepairJson.registers(repair().registers(Handlers.repository(call)))));
      case ADMIN_ISOLATION -> isolation(call);
      case ADMIN_RESTORE -> json(AdminJson.manifest(service.restoreManifest(repository(call),
          Digest.parse(required(call, "digest")), call.match.queryParam("tag").filter(t -> !t.isEmpty()).map(Tag::new),
          admin().softDelete())));
      case ADMIN_DELETED -> json(AdminJson.manifests(service.listRestorable(repository(call), admin().softDelete())));
      case ADMIN_PURGE -> json(AdminJson.purge(admin().purge(purgeRequest(call))));
      case ADMIN_RETENTION -> json(AdminJson.purge(retention(call)));
      case ADMIN_LOCK -> json(AdminJson.lock(lock(call)));
      case ADMIN_GC -> json(AdminJson.gc(admin().collectGarbage(flag(call, "dryRun"))));
      case ADMIN_NOTIFICATIONS -> json(AdminJson.notifications(admin().self(), admin().notifications()));
      default -> throw new IllegalStateException("not an admin route: " + call.match.route());
    });
  }

  /** GET shows what has not left this region; POST {@code ?isolated=true|false} cuts it off or joins it again first. */
  private Reply isolation(Call call) {
    AdminService admin = admin();
    if (call.method().equals("POST")) {
      String isolated = required(call, "isolated");
      switch (isolated) {
        case "true" -> admin.isolation().isolate();
        case "false" -> admin.isolation().reconnect();
        default -> throw new RegistryException(OciErrorCode.UNSUPPORTED, "isolated must be true or false", isolated, 400);
      }
    }
    return json(IsolationJson.isolation(admin.self(), admin.isolation()));
  }

  private Reply metrics() {
    String scrape = extensions.metrics().orElseThrow(() -> notServed("metrics")).get();
    return new Reply.Full(Responses.bytes(HttpResponseStatus.OK, PROMETHEUS_TEXT, scrape.getBytes(StandardCharsets.UTF_8)));
  }

  /** The register snapshot (JSON lines) a joining region seeds from, sent from an unlinked file. */
  private Reply snapshot() {
    BlobContent content = admin().snapshot().orElseThrow(() -> notServed("a register snapshot"));
    try {
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(Responses.API_VERSION_HEADER, Responses.API_VERSION);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, NDJSON);
      head.headers().set(Responses.CONTENT_DIGEST, content.info().digest().toString());
      head.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.info().size());
      return new Reply.File(head, content, 0, content.info().size());
    } catch (RuntimeException e) {
      content.close();
      throw e;
    }
  }

  private RepairService repair() {
    return extensions.repair().orElseThrow(() -> notServed("repair"));
  }

  private AdminService admin() {
    return extensions.admin().orElseThrow(() -> notServed("the admin API"));
  }

  private static RegistryException notServed(String what) {
    return new RegistryException(OciErrorCode.UNSUPPORTED, what + " is not served by this agent", null, 404);
  }

  static Reply json(com.fasterxml.jackson.databind.JsonNode node) {
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
