package dev.meridian.topology;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.net.URI;

/**
 * One region of the fleet: its id, the base URL its agent serves, whether the global endpoint routes
 * clients to it, whether it takes pushes, and which repositories it holds ({@link RepositoryFilter}).
 */
public record Region(RegionId id, URI url, boolean routingEnabled, RegionMode mode, RepositoryFilter repositories) {
  public Region {
    requireNonNull(id, "id");
    requireNonNull(url, "url");
    requireNonNull(mode, "mode");
    requireNonNull(repositories, "repositories");
  }

  /** A region that holds every repository. */
  public Region(RegionId id, URI url, boolean routingEnabled, RegionMode mode) {
    this(id, url, routingEnabled, mode, RepositoryFilter.ALL);
  }

  public static Region of(String id, String url) {
    return new Region(new RegionId(id), URI.create(url), true, RegionMode.READ_WRITE);
  }

  /** The same region holding only what {@code filter} admits. */
  public Region withRepositories(RepositoryFilter filter) {
    return new Region(id, url, routingEnabled, mode, filter);
  }
}
