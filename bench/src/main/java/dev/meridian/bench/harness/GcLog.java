package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's {@code -Xlog:gc:file=...} says about its heap: the most it held just before a collection (the
 * high-water mark, bounded by {@code -Xmx}) and the most it still held just after a young or full collection
 * (an upper bound of what the program kept alive: the figure that grows if something retains a blob).
 */
public record GcLog(long collections, long peakBeforeBytes, long peakAfterBytes) {
  // [1.234s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->31M(256M) 4.321ms
  private static final Pattern PAUSE =
      Pattern.compile("GC\\(\\d+\\) Pause (\\w+).*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /** The JVM option that writes the log this reads. */
  public static String option(Path file) {
    return "-Xlog:gc:file=" + file;
  }

  public static GcLog read(Path file) {
    try {
      return parse(Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GcLog parse(List<String> lines) {
    long collections = 0;
    long before = 0;
    long after = 0;
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) continue;
      collections++;
      before = Math.max(before, bytes(m.group(2), m.group(3)));
      // Remark and Cleanup report what marking found, not what an evacuation left: only Young, Mixed and Full.
      String kind = m.group(1);
      if (kind.equals("Young") || kind.equals("Full") || kind.equals("Mixed")) after = Math.max(after, bytes(m.group(4), m.group(5)));
    }
    return new GcLog(collections, before, after);
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
