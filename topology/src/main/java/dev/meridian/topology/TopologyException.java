package dev.meridian.topology;

import java.util.List;

/** A fleet description that is not valid; carries every violation found, not just the first. */
public final class TopologyException extends RuntimeException {
  private final List<String> violations;

  public TopologyException(List<String> violations) {
    super("invalid fleet topology:\n  - " + String.join("\n  - ", violations));
    this.violations = List.copyOf(violations);
  }

  public List<String> violations() {
    return violations;
  }
}
