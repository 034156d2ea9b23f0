package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code meridian-bench.jar --quick} the way a user would and checks the table: every row present, every
 * figure a positive number. A smoke test of the harness: it asserts nothing about speed.
 */
class BenchQuickIT {
  private static final List<String> ROWS = List.of(
      "| push-pull | skopeo push", "| push-pull | skopeo pull", "| push-pull | blob download",
      "| push-pull | server CPU, skopeo push", "| push-pull | server CPU, skopeo pull",
      "| push-pull | server CPU, blob download",
      "| replication | catch-up copy vs skopeo sync", "| replication | catch-up copy vs cp+fsync",
      "| replication | catch-up copy, running region re-enabled, vs skopeo sync",
      "| replication | catch-up copy, running region re-enabled, vs cp+fsync",
      "| replication | CPU of the catch-up copy, region restarted, vs skopeo sync",
      "| replication | CPU of the catch-up copy, running region re-enabled, vs cp+fsync",
      "| lag | push rate achieved", "| lag | lag p50", "| lag | lag p99", "| lag | lag max", "| lag | lag p50, 3 regions, HEAD polls of one push in 10",
      "| apply | events applied, region restarted", "| apply | events applied, running region re-enabled",
      "| apply | region CPU per 1,000 events, region restarted",
      "| apply | region CPU per 1,000 events, running region re-enabled",
      "| memory | push", "| memory | replication of", "| memory | pull of", "| memory | heap after GC peak, pushed-to",
      "| memory | heap after GC peak, replicating", "| memory | heap used peak", "| memory | direct buffers peak",
      "| memory | resident memory peak, pushed-to", "| memory | resident memory peak, replicating",
      "| scale | restart to ready", "| scale | first start after load",
      "| scale | standalone restart to ready, loaded vs empty", "| scale | catalog page n=100 p50",
      "| scale | catalog page n=100 p99", "| scale | tag list page n=100 p50", "| scale | tag list page n=100 p99",
      "| scale | resident memory after listings", "| scale | new region seeded to ready", "| scale | synthetic load");

  @Test
  void quickRunPrintsEveryRowWithPositiveFigures() throws Exception {
    Path work = Path.of("target", "bench-it").toAbsolutePath();
    Path stdout = Files.createDirectories(work).resolve("stdout.txt");
    Path stderr = work.resolve("stderr.txt");
    Process bench = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("bench.jar"), "--quick", "--meridian-jar", System.getProperty("meridian.jar"),
        "--work-dir", work.toString())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    boolean finished = bench.waitFor(10, TimeUnit.MINUTES);
    if (!finished) bench.destroyForcibly().waitFor();

    assertThat(finished).as("bench finished within 10 minutes").isTrue();
    assertThat(bench.exitValue()).as(read(stderr)).isZero();
    List<String> table = Files.readAllLines(stdout, StandardCharsets.UTF_8);
    for (String row : ROWS) {
      String line = table.stream().map(l -> l.replaceAll(" +", " ")).filter(l -> l.startsWith(row)).findFirst()
          .orElseThrow(() -> new AssertionError("no row " + row + " in\n" + String.join("\n", table)));
      List<String> cells = Arrays.stream(line.split("\\|")).map(String::trim).toList();
      // cells: "", scenario, metric, Meridian, baseline, ratio, target, result, reps
      if (cells.get(2).endsWith("(CPU-s/GB)")) {
        // A server's CPU time is counted in 10 ms ticks: moving the quick run's few MiB may cost less than one.
        assertThat(Double.parseDouble(cells.get(3))).as(line).isNotNegative();
        assertThat(Double.parseDouble(cells.get(4).split(" ")[0])).as(line).isNotNegative();
        assertThat(cells.get(7)).as(line).isEqualTo("info");
        continue;
      }
      assertThat(Double.parseDouble(cells.get(3))).as(line).isPositive();
      if (!cells.get(4).equals("-")) {
        assertThat(Double.parseDouble(cells.get(4).split(" ")[0])).as(line).isPositive();
        assertThat(Double.parseDouble(cells.get(5).replace("x", ""))).as(line).isPositive();
      }
      assertThat(cells.get(7)).as(line).isIn("PASS", "FAIL", "info");
    }
    assertThat(work.resolve("results.md")).exists();
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
