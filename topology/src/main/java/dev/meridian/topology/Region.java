package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.net.URI;

/**
 * One region of the fleet: its id, the base URL its agent serves, whether the global endpoint routes
 * clients to it, and whether it takes pushes.
 */
public record Region(RegionId id, URI url, boolean routingEnabled, RegionMode mode) {
  public Region {
    requireNonNull(id, "id");
    requireNonNull(url, "url");
    requireNonNull(mode, "mode");
  }

  public static Region of(String id, String url) {
    return new Region(new RegionId(id), URI.create(url), true, RegionMode.READ_WRITE);
  }
}
