package dev.meridian.agent.frontdoor;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import java.util.Arrays;
import java.util.List;

/**
 * Clients whose address is in {@code block} prefer the regions of {@code preference}, in that order, e.g.
 * {@code 10.2.0.0/16=westeurope,eastus}. The most specific matching block wins.
 */
public record ClientRange(CidrBlock block, List<RegionId> preference) {
  public ClientRange {
    requireNonNull(block, "block");
    preference = List.copyOf(preference);
    if (preference.isEmpty()) throw new IllegalArgumentException("a client range needs at least one region: " + block);
  }

  /** {@code CIDR=ID,ID,...}. */
  public static ClientRange parse(String text) {
    int eq = text.indexOf('=');
    if (eq < 0) throw new IllegalArgumentException("not CIDR=REGION,REGION...: " + text);
    return new ClientRange(CidrBlock.parse(text.substring(0, eq)), regions(text.substring(eq + 1)));
  }

  /** A comma-separated list of region ids. */
  public static List<RegionId> regions(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(RegionId::new).toList();
  }
}
