package dev.meridian.agent.replication;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.util.Optional;

/**
 * Which peer a region with an empty state seeds itself from ({@code serve --seed-from}): {@code auto} asks each
 * other region in fleet order and takes the first complete snapshot (none answering, it follows the log from its
 * start, as a region of a brand-new fleet does); a region id insists on that one, retrying until it answers;
 * {@code none} never seeds.
 */
public record SeedFrom(Mode mode, Optional<RegionId> region) {
  /** How the peer is chosen. */
  public enum Mode { AUTO, NONE, REGION }

  public static final SeedFrom AUTO = new SeedFrom(Mode.AUTO, Optional.empty());
  public static final SeedFrom NONE = new SeedFrom(Mode.NONE, Optional.empty());

  public SeedFrom {
    requireNonNull(mode, "mode");
    requireNonNull(region, "region");
    if ((mode == Mode.REGION) != region.isPresent()) throw new IllegalArgumentException("a region is named only with mode REGION");
  }

  /** {@code auto}, {@code none}, or a region id (which must be a valid one). */
  public static SeedFrom parse(String text) {
    return switch (text) {
      case "auto" -> AUTO;
      case "none" -> NONE;
      default -> new SeedFrom(Mode.REGION, Optional.of(new RegionId(text)));
    };
  }

  @Override
  public String toString() {
    return region.map(RegionId::value).orElse(mode.name().toLowerCase(java.util.Locale.ROOT));
  }
}
