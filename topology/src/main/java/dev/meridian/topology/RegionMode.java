package dev.meridian.topology;

/** Whether a region accepts pushes, or only replicates and serves pulls. */
public enum RegionMode {
  READ_WRITE("read-write"),
  READ_ONLY("read-only");

  private final String text;

  RegionMode(String text) {
    this.text = text;
  }

  /** The fleet file's spelling, e.g. {@code read-write}. */
  public String text() {
    return text;
  }

  public static java.util.Optional<RegionMode> parse(String text) {
    for (RegionMode m : values()) {
      if (m.text.equals(text)) return java.util.Optional.of(m);
    }
    return java.util.Optional.empty();
  }
}
