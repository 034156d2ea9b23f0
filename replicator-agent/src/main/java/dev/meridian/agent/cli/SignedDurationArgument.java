package dev.meridian.agent.cli;

import java.time.Duration;
import picocli.CommandLine;

/** A duration that may be negative: {@code -5m}, {@code +30s}, or anything {@link DurationArgument} reads. */
final class SignedDurationArgument implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String t = value.trim();
    boolean negative = t.startsWith("-");
    String magnitude = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
    try {
      Duration d = DurationArgument.parse(magnitude);
      return negative ? d.negated() : d;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
