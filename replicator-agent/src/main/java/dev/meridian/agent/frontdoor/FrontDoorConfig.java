package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.time.Duration;
import java.util.List;

/**
 * What the front door needs: the fleet it routes to, where it listens (port 0 picks a free one), the
 * preferred region order (empty means the fleet file's order), client address ranges with their own order,
 * and how often regions are probed.
 */
public record FrontDoorConfig(
    Topology fleet, String bindAddress, int port, List<RegionId> preference, List<ClientRange> ranges, Duration probeInterval) {
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

  public FrontDoorConfig {
    requireNonNull(fleet, "fleet");
    requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) throw new IllegalArgumentException("bind address is empty");
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("port out of range: " + port);
    preference = List.copyOf(preference);
    ranges = List.copyOf(ranges);
    requireNonNull(probeInterval, "probeInterval");
    if (probeInterval.isZero() || probeInterval.isNegative()) throw new IllegalArgumentException("probe interval must be positive");
    for (Region region : fleet.regions()) {
      if (!"http".equalsIgnoreCase(region.url().getScheme())) {
        throw new IllegalArgumentException("the front door speaks plain http to regions; " + region.id() + " is " + region.url());
      }
    }
  }

  /** Fleet order, every client alike, probes every second. */
  public static FrontDoorConfig of(Topology fleet, String bindAddress, int port) {
    return new FrontDoorConfig(fleet, bindAddress, port, List.of(), List.of(), DEFAULT_PROBE_INTERVAL);
  }
}
