package dev.meridian.agent.it.support;

/**
 * What a test layer holds: one file of {@code sizeBytes} seeded pseudo-random bytes, in a tar archive,
 * gzipped or not. Equal specs give byte-identical layers, hence equal digests.
 */
public record LayerSpec(long seed, int sizeBytes, boolean gzip) {
  public LayerSpec {
    if (sizeBytes < 0) throw new IllegalArgumentException("sizeBytes < 0: " + sizeBytes);
  }

  public static LayerSpec gzip(long seed, int sizeBytes) {
    return new LayerSpec(seed, sizeBytes, true);
  }

  public static LayerSpec plain(long seed, int sizeBytes) {
    return new LayerSpec(seed, sizeBytes, false);
  }

  /** The name of the one file inside the archive. */
  public String fileName() {
    return "seed-" + seed + ".bin";
  }
}
