package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs every JMH microbenchmark of {@code meridian-bench.jar jmh} once, briefly, the way a user would: each must
 * run to the end and print a positive score. A smoke test of the benchmarks: it asserts nothing about speed.
 */
class BenchJmhIT {
  private static final List<String> BENCHMARKS = List.of(
      "DigestBenchmark.digesterOverArray", "DigestBenchmark.digesterOverDirectBuffer", "DigestBenchmark.messageDigestAlone",
      "EventCodecBenchmark.decodeManifestPut", "EventCodecBenchmark.encodeManifestPut",
      "EventCodecBenchmark.decodeTagPut", "EventCodecBenchmark.encodeTagPut",
      "RegisterMergeBenchmark.mergeAgainstExisting", "RegisterMergeBenchmark.mergeIntoEmpty",
      "StateStoreBenchmark.syncedBatch", "ReplayBenchmark.replayPoll", "QuotaAdmissionBenchmark.admitAPush");

  @Test
  void everyMicrobenchmarkRunsAndPrintsAPositiveScore() throws Exception {
    Path work = Files.createDirectories(Path.of("target", "bench-jmh-it").toAbsolutePath());
    Path stdout = work.resolve("stdout.txt");
    Path stderr = work.resolve("stderr.txt");
    // -foe: a benchmark that throws fails the run instead of being left out of the table.
    Process jmh = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("bench.jar"), "jmh", "-f", "1", "-wi", "0", "-i", "1", "-r", "200ms", "-foe", "true")
        .directory(work.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    boolean finished = jmh.waitFor(5, TimeUnit.MINUTES);
    if (!finished) jmh.destroyForcibly().waitFor();

    assertThat(finished).as("JMH finished within 5 minutes").isTrue();
    assertThat(jmh.exitValue()).as(Files.readString(stderr, StandardCharsets.UTF_8)).isZero();
    List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
    for (String benchmark : BENCHMARKS) {
      List<String> rows = lines.stream().filter(l -> l.startsWith(benchmark + " ")).toList();
      assertThat(rows).as("result rows of " + benchmark).isNotEmpty();
      for (String row : rows) {
        String[] cells = row.trim().split("\\s+");
        // ... Mode Cnt? Score Units: the score is the second number from the end when the error column is empty
        double score = Double.parseDouble(cells[cells.length - 2]);
        assertThat(score).as(row).isPositive();
      }
    }
  }
}
