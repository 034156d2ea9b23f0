package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.http.proxy.ProxyPlan;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The front door's own admin API, answered without any region:
 * <ul>
 *   <li>{@code GET /admin/v1/frontdoor/regions}: each region's {@code routingEnabled} (the topology's, unless
 *       drained here), {@code drained}, {@code up} and {@code creating} (probes);</li>
 *   <li>{@code POST /admin/v1/frontdoor/regions/ID?routingEnabled=false|true}: drains a region or restores it.</li>
 * </ul>
 * There is no authentication yet, so only loopback clients may use it; everything else under
 * {@code /admin/v1/} still goes to a region.
 */
public final class FrontDoorAdmin {
  static final String PREFIX = "/admin/v1/frontdoor/";
  private static final String REGIONS = PREFIX + "regions";

  private final java.util.function.Supplier<Topology> fleet;
  private final RoutingOverrides overrides;
  private final RegionHealth health;

  public FrontDoorAdmin(Topology fleet, RoutingOverrides overrides, RegionHealth health) {
    this(() -> fleet, overrides, health);
  }

  /** Over the fleet as it is at each request (the replicated topology). */
  public FrontDoorAdmin(java.util.function.Supplier<Topology> fleet, RoutingOverrides overrides, RegionHealth health) {
    this.fleet = requireNonNull(fleet, "fleet");
    this.overrides = requireNonNull(overrides, "overrides");
    this.health = requireNonNull(health, "health");
  }

  /** The answer to an admin request, or empty when {@code uri} is not the front door's. */
  public Optional<ProxyPlan> plan(String method, String uri, Optional<InetAddress> client) {
    int q = uri.indexOf('?');
    String path = q >= 0 ? uri.substring(0, q) : uri;
    String query = q >= 0 ? uri.substring(q + 1) : "";
    if (!path.startsWith(PREFIX)) return Optional.empty();
    if (client.isEmpty() || !client.get().isLoopbackAddress()) {
      return Optional.of(refuse(403, "DENIED", "the front door's admin API answers loopback clients only"));
    }
    if (path.equals(REGIONS)) {
      if (!method.equals("GET")) return Optional.of(refuse(405, "UNSUPPORTED", method + " " + path + " is not supported"));
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode list = body.putArray("regions");
      for (Region region : fleet.get().regions()) list.add(region(region));
      return Optional.of(answer(body));
    }
    if (!path.startsWith(REGIONS + "/")) return Optional.of(refuse(404, "UNSUPPORTED", "no such front door endpoint: " + path));
    String id = path.substring(REGIONS.length() + 1);
    Optional<Region> region = fleet.get().regions().stream().filter(r -> r.id().value().equals(id)).findFirst();
    if (region.isEmpty()) return Optional.of(refuse(404, "NAME_UNKNOWN", "region " + id + " is not in the fleet"));
    if (method.equals("GET")) return Optional.of(answer(region(region.get())));
    if (!method.equals("POST")) return Optional.of(refuse(405, "UNSUPPORTED", method + " " + path + " is not supported"));
    Optional<String> enabled = parameter(query, "routingEnabled");
    if (enabled.isEmpty() || !(enabled.get().equals("true") || enabled.get().equals("false"))) {
      return Optional.of(refuse(400, "UNSUPPORTED", "routingEnabled=true or routingEnabled=false is required"));
    }
    if (enabled.get().equals("true")) overrides.restore(region.get().id());
    else overrides.drain(region.get().id());
    return Optional.of(answer(region(region.get())));
  }

  private ObjectNode region(Region region) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("id", region.id().value());
    n.put("url", region.url().toString());
    boolean drained = overrides.drained(region.id());
    n.put("routingEnabled", region.routingEnabled() && !drained);
    n.put("drained", drained);
    n.put("up", health.isUp(region.id()));
    n.put("creating", health.isCreating(region.id()));
    return n;
  }

  private static Optional<String> parameter(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) return Optional.of(pair.substring(eq + 1));
    }
    return Optional.empty();
  }

  private static ProxyPlan answer(ObjectNode body) {
    return new ProxyPlan.Answer(200, "application/json", AdminJson.bytes(body));
  }

  private static ProxyPlan refuse(int status, String code, String message) {
    return new ProxyPlan.Refuse(new ProxyPlan.Refusal(status, code, message));
  }
}
