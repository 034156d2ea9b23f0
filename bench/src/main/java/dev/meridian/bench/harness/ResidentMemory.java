package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory as Linux reports it ({@code VmRSS} in {@code /proc/PID/status}). */
public final class ResidentMemory {
  private ResidentMemory() {}

  /** The resident set of process {@code pid}, in bytes. */
  public static long of(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // always "kB"
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the status of process " + pid, e);
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }
}
