package dev.meridian.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.ReplicationAdmin;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.TopologyCodec;
import dev.meridian.topology.TopologyException;
import io.netty.handler.codec.http.HttpResponseStatus;
import dev.meridian.topology.RepositoryFilter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/replications/{region}}: GET shows one region, PUT creates it (201; body
 * {@code {"url":..,"routingEnabled":..,"mode":..,"repositories":{"include":[..],"exclude":[..]}}}), PATCH changes it
 * (202; any of {@code routingEnabled}, {@code mode}, {@code enabled}, {@code repositories}, the last replacing the
 * whole filter), DELETE deletes it (202); and {@code /admin/v1/costs}, the fleet's transfer costs. The answers to PUT and PATCH are the region as it
 * is now. 201 and 202 are what the audit log records.
 */
final class ReplicationRoutes {
  private final Supplier<ReplicationAdmin> admin;

  ReplicationRoutes(Supplier<ReplicationAdmin> admin) {
    this.admin = admin;
  }

  ReplicationAdmin admin() {
    return admin.get();
  }

  Reply readOrDelete(Call call) {
    RegionId region = region(call);
    if (call.method().equals("DELETE")) {
      admin().delete(region);
      return new Reply.Full(Responses.json(HttpResponseStatus.ACCEPTED, java.util.Map.of("deleted", region.value())));
    }
    return AdminHandler.json(AdminJson.replica(admin().show(region)));
  }

  Reply change(Call call, byte[] body) {
    RegionId region = region(call);
    JsonNode n = body.length == 0 ? AdminJson.parse("{}".getBytes()) : parse(body);
    if (call.method().equals("PUT")) {
      String url = n.path("url").isTextual() ? n.path("url").asText() : null;
      if (url == null) throw bad("url is required, e.g. {\"url\":\"http://127.0.0.1:5004\"}", "url");
      URI parsed;
      try {
        parsed = TopologyCodec.parseUrl(url);
      } catch (TopologyException e) {
        throw bad(String.join("; ", e.violations()), url);
      }
      var created = admin().create(region, parsed, flag(n, "routingEnabled").orElse(true), mode(n).orElse(RegionMode.READ_WRITE),
          repositories(n).orElse(RepositoryFilter.ALL));
      return new Reply.Full(Responses.bytes(HttpResponseStatus.CREATED, "application/json", AdminJson.bytes(AdminJson.replica(created))));
    }
    var updated = admin().update(region, new ReplicationAdmin.Update(flag(n, "routingEnabled"), mode(n), flag(n, "enabled"),
        repositories(n)));
    return new Reply.Full(Responses.bytes(HttpResponseStatus.ACCEPTED, "application/json", AdminJson.bytes(AdminJson.replica(updated))));
  }

  /** {@code GET /admin/v1/costs} lists the transfer costs; PUT sets one ({@code {"from":..,"to":..,"cost":N}}); DELETE {@code ?from=&to=} removes one. */
  Reply costs(Call call, byte[] body) {
    return switch (call.method()) {
      case "GET" -> AdminHandler.json(AdminJson.costs(admin().costs()));
      case "PUT" -> {
        JsonNode n = body.length == 0 ? AdminJson.parse("{}".getBytes()) : parse(body);
        JsonNode cost = n.get("cost");
        if (cost == null || !cost.canConvertToInt() || !cost.isIntegralNumber()) {
          throw bad("cost must be a whole number, e.g. {\"from\":\"eastus\",\"to\":\"westeurope\",\"cost\":10}", "cost");
        }
        yield accepted(AdminJson.costs(admin().setCost(regionField(n, "from"), regionField(n, "to"), cost.asInt())));
      }
      default -> accepted(AdminJson.costs(admin().removeCost(regionId(required(call, "from")), regionId(required(call, "to")))));
    };
  }

  private static Reply accepted(JsonNode body) {
    return new Reply.Full(Responses.bytes(HttpResponseStatus.ACCEPTED, "application/json", AdminJson.bytes(body)));
  }

  private static String required(Call call, String name) {
    return call.match.queryParam(name).filter(v -> !v.isEmpty()).orElseThrow(() -> bad(name + " is required", name));
  }

  private static RegionId regionField(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) throw bad(field + " is required: a region id", field);
    return regionId(v.asText());
  }

  private static RegionId regionId(String text) {
    try {
      return new RegionId(text);
    } catch (IllegalArgumentException e) {
      throw bad("region id: " + e.getMessage(), text);
    }
  }

  /** {@code "repositories":{"include":[GLOB..],"exclude":[GLOB..]}}: the whole filter (no include means every repository). */
  private static Optional<RepositoryFilter> repositories(JsonNode n) {
    JsonNode v = n.get("repositories");
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isObject()) throw bad("repositories must be an object: {\"include\":[..],\"exclude\":[..]}", "repositories");
    List<String> include = globs(v, "include");
    List<String> exclude = globs(v, "exclude");
    if (v.has("include") && include.isEmpty()) throw bad("repositories.include is empty: it would admit nothing", "include");
    try {
      return Optional.of(RepositoryFilter.of(v.has("include") ? include : List.of("**"), exclude));
    } catch (IllegalArgumentException e) {
      throw bad("repositories: " + e.getMessage(), "repositories");
    }
  }

  private static List<String> globs(JsonNode filter, String field) {
    JsonNode v = filter.get(field);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) throw bad("repositories." + field + " must be a list of globs", field);
    List<String> globs = new ArrayList<>();
    for (JsonNode g : v) {
      if (!g.isTextual()) throw bad("repositories." + field + " must be a list of globs, not " + g, field);
      globs.add(g.asText());
    }
    return globs;
  }

  private static RegionId region(Call call) {
    String text = call.match.requireParameter();
    try {
      return new RegionId(text);
    } catch (IllegalArgumentException e) {
      throw bad("region id: " + e.getMessage(), text);
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode n = AdminJson.parse(body);
      if (!n.isObject()) throw bad("the body must be a JSON object", null);
      return n;
    } catch (IllegalArgumentException e) {
      throw bad("the body is not JSON: " + e.getMessage(), null);
    }
  }

  private static Optional<Boolean> flag(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isBoolean()) throw bad(field + " must be true or false, not " + v, field);
    return Optional.of(v.asBoolean());
  }

  private static Optional<RegionMode> mode(JsonNode n) {
    JsonNode v = n.get("mode");
    if (v == null || v.isNull()) return Optional.empty();
    return Optional.of(RegionMode.parse(v.asText())
        .orElseThrow(() -> bad("mode must be read-write or read-only, not " + v, "mode")));
  }

  private static RegistryException bad(String message, Object detail) {
    return new RegistryException(OciErrorCode.UNSUPPORTED, message, detail, 400);
  }
}
