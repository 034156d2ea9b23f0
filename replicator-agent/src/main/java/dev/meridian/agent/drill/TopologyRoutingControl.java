package dev.meridian.agent.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.core.clock.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link RoutingControl} through the replicated topology: {@code PATCH /admin/v1/replications/ID
 * {"routingEnabled":..}} (what {@code meridian replication update --routing-enabled} does), so every front door
 * and every region's status see the drain, and it survives restarts.
 *
 * <p>The change is asked of the other regions, in fleet order, never of the drilled one (it plays the lost region).
 * A region answers once it has read the change back; the front door the workload uses follows the topic about a
 * second later, so when its admin API answers, the call also waits until that front door shows the change.
 */
public final class TopologyRoutingControl implements RoutingControl {
  private static final String PATH = "/admin/v1/replications/";
  private static final Duration POLL = Duration.ofMillis(100);

  private final Map<RegionId, String> urls;
  private final Optional<String> frontDoor;
  private final Duration timeout;
  private final DrillHttp http;

  /** {@code urls} in fleet order; {@code frontDoor} the one whose routing must show the change, if known. */
  public TopologyRoutingControl(Map<RegionId, String> urls, Optional<String> frontDoor, Duration timeout,
      Optional<String> authorization) {
    this.urls = new LinkedHashMap<>(urls);
    this.frontDoor = frontDoor.map(DrillHttp::base);
    this.timeout = timeout;
    this.http = new DrillHttp(timeout, authorization);
  }

  /** Whether some region of {@code urls} manages the fleet's regions ({@code GET /admin/v1/replications} answers). */
  public static boolean available(Map<RegionId, String> urls, Duration timeout, Optional<String> authorization) {
    DrillHttp http = new DrillHttp(timeout, authorization);
    for (String url : urls.values()) {
      try {
        http.get(DrillHttp.base(url) + "/admin/v1/replications");
        return true;
      } catch (IllegalStateException e) {
        // a standalone region answers 404; a region that does not answer says nothing either way
      }
    }
    return false;
  }

  @Override
  public boolean isEnabled(RegionId region) {
    return viaPeers(region, base -> http.get(base + PATH + region)).path("routingEnabled").asBoolean(false);
  }

  @Override
  public void disable(RegionId region) {
    set(region, false);
  }

  @Override
  public void enable(RegionId region) {
    set(region, true);
  }

  private void set(RegionId region, boolean enabled) {
    String body = new String(AdminJson.bytes(JsonNodeFactory.instance.objectNode().put("routingEnabled", enabled)),
        java.nio.charset.StandardCharsets.UTF_8);
    JsonNode answer = viaPeers(region, base -> http.patch(base + PATH + region, body));
    if (answer.path("routingEnabled").asBoolean(!enabled) != enabled) {
      throw new IllegalStateException("the topology did not take routingEnabled=" + enabled + " for " + region + ": " + answer);
    }
    frontDoor.ifPresent(door -> awaitFrontDoor(door, region, enabled));
  }

  /** Waits (at most the timeout) until the front door routes as the topology now says; its refusals are not waited on. */
  private void awaitFrontDoor(String door, RegionId region, boolean enabled) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode seen;
      try {
        seen = http.get(door + "/admin/v1/frontdoor/regions/" + region);
      } catch (IllegalStateException e) {
        return; // not a loopback client, or an older front door: the topology has it, and front doors follow it
      }
      if (seen.path("routingEnabled").asBoolean(!enabled) == enabled) return;
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the front door at " + door + " still shows routingEnabled=" + !enabled + " for " + region
            + " after " + timeout.toSeconds() + " s" + (seen.path("drained").asBoolean() ? " (it is drained at that front door)" : ""));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the front door", e);
      }
    }
  }

  /** The first answer of a region other than {@code drilled}, in fleet order. */
  private JsonNode viaPeers(RegionId drilled, Function<String, JsonNode> call) {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<RegionId, String> e : urls.entrySet()) {
      if (e.getKey().equals(drilled)) continue;
      try {
        return call.apply(DrillHttp.base(e.getValue()));
      } catch (IllegalStateException failure) {
        failures.add(failure.getMessage());
      }
    }
    throw new IllegalStateException("no other region changed the topology: " + (failures.isEmpty() ? "the fleet has no other region"
        : String.join("; ", failures)));
  }
}
