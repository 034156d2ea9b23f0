package dev.meridian.agent;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.nio.file.Path;

/**
 * What one region agent needs to start: its region id, where to listen, and its data directory (blobs under
 * {@code blobs-root/}, state under {@code state/}). Port 0 picks a free port.
 */
public record AgentConfig(RegionId region, String bindAddress, int port, Path dataDir) {
  public static final String DEFAULT_BIND = "127.0.0.1";

  public AgentConfig {
    requireNonNull(region, "region");
    requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) throw new IllegalArgumentException("bind address is empty");
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("port out of range: " + port);
    requireNonNull(dataDir, "dataDir");
  }

  public Path blobsRoot() {
    return dataDir.resolve("blobs-root");
  }

  public Path stateDir() {
    return dataDir.resolve("state");
  }
}
