package dev.meridian.agent.frontdoor;

import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.RegionState;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every region's {@code /readyz} every {@code interval} (asynchronously: a hung region delays nobody) and
 * records the answer in {@link RegionHealth}: 200 is up; {@value #FAILURES_TO_DOWN} failed probes in a row
 * (another status, an error, no answer within {@link #timeout}) are down. One slow answer on a busy machine
 * does not take a region out; a refused connection does at once, through the proxy's passive check.
 *
 * <p>A region that is up is then asked its state ({@code GET /admin/v1/region}): {@code creating} (seeding from a
 * peer or fetching what the seed called for) marks it creating, so routing prefers every ready region to it.
 * {@code /readyz} stays 200 meanwhile on purpose: the region serves, and is the last resort when nothing else is
 * up. A region that does not answer that (another registry, an error) is not creating.
 */
public final class HealthProber implements AutoCloseable {
  private static final Duration MIN_TIMEOUT = Duration.ofSeconds(2);
  private final java.util.function.Supplier<Topology> fleet;
  private final RegionHealth health;
  private final Duration interval;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  private final Map<RegionId, Integer> failures = new ConcurrentHashMap<>();
  private final Set<RegionId> inFlight = ConcurrentHashMap.newKeySet();
  static final int FAILURES_TO_DOWN = 2;

  public HealthProber(Topology fleet, RegionHealth health, Duration interval) {
    this(() -> fleet, health, interval);
  }

  /** Probing the regions {@code fleet} has at each round. */
  public HealthProber(java.util.function.Supplier<Topology> fleet, RegionHealth health, Duration interval) {
    this.fleet = fleet;
    this.health = health;
    this.interval = interval;
    this.timeout = interval.compareTo(MIN_TIMEOUT) > 0 ? interval : MIN_TIMEOUT;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "meridian-frontdoor-probe");
      thread.setDaemon(true);
      return thread;
    });
  }

  public HealthProber start() {
    scheduler.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void probeAll() {
    for (Region region : fleet.get().regions()) {
      if (!inFlight.add(region.id())) continue; // the last probe has not answered yet
      String base = region.url().toString().replaceAll("/+$", "");
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(timeout).GET().build();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
        if (failure == null && response.statusCode() == 200) {
          failures.remove(region.id());
          health.markUp(region.id());
          probeState(region, base);
          return;
        }
        inFlight.remove(region.id());
        if (failures.merge(region.id(), 1, Integer::sum) >= FAILURES_TO_DOWN) {
          health.markDown(region.id(), failure != null ? "probe failed: " + failure : "readyz answered " + response.statusCode());
        }
      });
    }
  }

  /** Whether an up region is still joining the fleet, from its own status; ends the region's probe. */
  private void probeState(Region region, String base) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/admin/v1/region")).timeout(timeout)
        .header("Accept", "application/json").GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
      inFlight.remove(region.id());
      boolean creating = false;
      if (failure == null && response.statusCode() == 200) {
        try {
          creating = AdminJson.parse(response.body()).path("state").asText().equals(RegionState.CREATING.wireName());
        } catch (RuntimeException notJson) {
          creating = false;
        }
      }
      health.markCreating(region.id(), creating);
    });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
