package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time a server process has used so far, user plus system, from {@code /proc/PID/stat}. Wall-time ratios
 * move by about 0.1x from run to run on a shared machine; the CPU a server spends per byte it moves hardly moves,
 * so the table reports both.
 */
public final class ProcessCpu {
  private static final double TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** CPU-seconds {@code pid} has used since it started (its threads, not its children: our servers have none). */
  public static double seconds(long pid) {
    String stat = stat(Long.toString(pid));
    return (field(stat, UTIME) + field(stat, STIME)) / TICKS_PER_SECOND;
  }

  /**
   * CPU-seconds of the commands this process ran and waited for ({@code cutime + cstime}), their own children
   * included: a command's cost is the difference around its run, if no other child ended meanwhile.
   */
  public static double commandsSeconds() {
    String stat = stat("self");
    return (field(stat, CUTIME) + field(stat, CSTIME)) / TICKS_PER_SECOND;
  }

  static final int UTIME = 14;
  static final int STIME = 15;
  static final int CUTIME = 16;
  static final int CSTIME = 17;

  /**
   * Field {@code n} (numbered from 1, as in proc(5)) of a {@code /proc/PID/stat} line. Counted from the last
   * closing parenthesis: field 2, the command name, may itself hold spaces and parentheses.
   */
  static long field(String stat, int n) {
    int nameEnd = stat.lastIndexOf(')');
    String[] fields = nameEnd < 0 ? new String[0] : stat.substring(nameEnd + 1).trim().split(" +");
    // fields[0] is field 3 (the state), so field n is fields[n - 3].
    if (n < 3 || fields.length < n - 2) throw new IllegalArgumentException("no field " + n + " in: " + stat);
    return Long.parseLong(fields[n - 3]);
  }

  private static String stat(String process) {
    try {
      return Files.readString(Path.of("/proc", process, "stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of process " + process, e);
    }
  }

  private static double ticksPerSecond() {
    try {
      return Double.parseDouble(Command.run(List.of("getconf", "CLK_TCK")).trim());
    } catch (RuntimeException e) {
      return 100; // what Linux reports on every architecture we run on
    }
  }
}
