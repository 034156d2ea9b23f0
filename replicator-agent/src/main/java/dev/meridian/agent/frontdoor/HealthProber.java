package dev.meridian.agent.frontdoor;

import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every region's {@code /readyz} every {@code interval} (asynchronously: a hung region delays nobody) and
 * records the answer in {@link RegionHealth}: 200 is up; anything else, an error or no answer within the
 * interval is down.
 */
public final class HealthProber implements AutoCloseable {
  private final Topology fleet;
  private final RegionHealth health;
  private final Duration interval;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;

  public HealthProber(Topology fleet, RegionHealth health, Duration interval) {
    this.fleet = fleet;
    this.health = health;
    this.interval = interval;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(interval).build();
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
    for (Region region : fleet.regions()) {
      String base = region.url().toString().replaceAll("/+$", "");
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(interval).GET().build();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
        if (failure == null && response.statusCode() == 200) {
          health.markUp(region.id());
        } else {
          health.markDown(region.id(), failure != null ? "probe failed: " + failure : "readyz answered " + response.statusCode());
        }
      });
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
