package dev.meridian.agent.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Bytes per second on the command line: {@code 16MiB}, {@code 512KiB}, {@code 1GiB}, {@code 10MB}, or a bare number of bytes. */
final class ByteRateArgument implements CommandLine.ITypeConverter<Long> {
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?(/s)?");

  @Override
  public Long convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  static long parse(String value) {
    Matcher m = RATE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) throw new IllegalArgumentException("'" + value + "' is not a rate: use e.g. 16MiB, 512KiB or 1GiB");
    long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
      case "kb" -> 1_000L;
      case "kib" -> 1L << 10;
      case "mb" -> 1_000_000L;
      case "mib" -> 1L << 20;
      case "gb" -> 1_000_000_000L;
      case "gib" -> 1L << 30;
      default -> 1L;
    };
    long n;
    try {
      n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is too large a rate");
    }
    if (n <= 0) throw new IllegalArgumentException("'" + value + "' must be positive");
    return n;
  }
}
