package dev.meridian.bench.scenario;

import dev.meridian.bench.BenchContext;
import dev.meridian.bench.Result;
import dev.meridian.bench.Scenario;
import dev.meridian.bench.Target;
import dev.meridian.bench.harness.BenchCredentials;
import dev.meridian.bench.harness.BlobFile;
import dev.meridian.bench.harness.Command;
import dev.meridian.bench.harness.Fleet;
import dev.meridian.bench.harness.GcLog;
import dev.meridian.bench.harness.Http;
import dev.meridian.bench.harness.KafkaBroker;
import dev.meridian.bench.harness.MeridianRegion;
import dev.meridian.bench.harness.MemoryWatch;
import dev.meridian.bench.harness.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 6: a large blob (4 GiB) pushed to one region and replicated to another, both agents capped at a
 * 256 MiB heap; and, in the same run on fresh processes, a small blob (64 MiB) the same way. Each agent's
 * memory is watched throughout ({@link MemoryWatch}: GC log, {@code /metrics}, {@code /proc}), and the peaks
 * with the large blob are reported as ratios to those with the small one: "heap use independent of blob size"
 * means ratios near 1.
 *
 * <p>The blob is a file of random bytes, written and hashed as a stream; {@code curl} pushes it in one
 * monolithic {@code PUT} (over 2^31 bytes: sizes must be longs all the way), then a manifest referencing it.
 * Replication is timed from the blob's {@code 201} until the tag is pullable in the second region (which is
 * online throughout, so it starts copying at the blob's event); then the blob is pulled from there and hashed.
 */
public final class MemoryScenario implements Scenario {
  private static final String REPOSITORY = "bench/big";
  private static final List<String> AGENT_HEAP = List.of("-Xmx256m");
  private static final String SOURCE = "eastus";
  private static final String TARGET = "westeurope";

  /** One size's run: throughputs in MB/s and each agent's memory peaks. */
  private record Run(double pushMBps, double replicationMBps, double pullMBps, MemoryWatch.Peaks source,
      MemoryWatch.Peaks target) {}

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public List<Result> run(BenchContext context) {
    long large = context.size(4L << 30, 64L << 20);
    long small = context.size(64L << 20, 8L << 20);
    String smallName = (small >> 20) + " MiB blob";
    var big = new ArrayList<Run>();
    var little = new ArrayList<Run>();
    for (int rep = 0; rep < context.repetitions(); rep++) {
      // Alternate which size goes first, so neither always runs on the warmer machine.
      for (int k = 0; k < 2; k++) {
        boolean largeNow = (rep + k) % 2 == 0;
        Run run = once(context, largeNow ? large : small, 600 + rep);
        (largeNow ? big : little).add(run);
      }
    }
    return List.of(
        Result.alone(name(), "push " + label(large) + " blob, curl PUT", "MB/s", median(big, Run::pushMBps), Target.NONE, big.size()),
        Result.alone(name(), "replication of " + label(large) + " blob", "MB/s", median(big, Run::replicationMBps), Target.NONE, big.size()),
        Result.alone(name(), "pull of " + label(large) + " blob from 2nd region", "MB/s", median(big, Run::pullMBps), Target.NONE, big.size()),
        compared("heap after GC peak, pushed-to region", big, little, r -> mib(r.source().gc().peakAfterBytes()), smallName, Target.ratioAtMost(1.5)),
        compared("heap after GC peak, replicating region", big, little, r -> mib(r.target().gc().peakAfterBytes()), smallName, Target.ratioAtMost(1.5)),
        compared("heap used peak, either region", big, little, r -> mib(Math.max(
            Math.max(r.source().gc().peakBeforeBytes(), r.source().heapSampled()),
            Math.max(r.target().gc().peakBeforeBytes(), r.target().heapSampled()))), smallName, Target.NONE),
        compared("direct buffers peak, either region", big, little, r -> mib(Math.max(r.source().direct(), r.target().direct())), smallName, Target.NONE),
        compared("resident memory peak, pushed-to region", big, little, r -> mib(r.source().residentHighWater()), smallName, Target.ratioAtMost(1.5)),
        compared("resident memory peak, replicating region", big, little, r -> mib(r.target().residentHighWater()), smallName, Target.ratioAtMost(1.5)));
  }

  private Run once(BenchContext context, long size, long seed) {
    Workspace workspace = context.workspace();
    Path dir = workspace.fresh("memory-" + label(size).replace(" ", ""));
    try {
      long written = System.nanoTime();
      BlobFile blob = BlobFile.write(dir.resolve("blob.bin"), size, seed);
      context.log("memory: wrote %s of random bytes in %.1f s", label(size), (System.nanoTime() - written) / 1e9);
      try (var broker = KafkaBroker.start(context.jar(), dir.resolve("kafka"), workspace.logs())) {
        Fleet fleet = Fleet.write(dir.resolve("fleet.yaml"), broker.bootstrap(), List.of(SOURCE, TARGET), 8);
        Path sourceGc = dir.resolve("gc-" + SOURCE + ".log");
        Path targetGc = dir.resolve("gc-" + TARGET + ".log");
        try (var east = MeridianRegion.member(context.jar(), fleet, SOURCE, dir.resolve(SOURCE), workspace.logs(), options(sourceGc));
            var west = MeridianRegion.member(context.jar(), fleet, TARGET, dir.resolve(TARGET), workspace.logs(), options(targetGc));
            var eastWatch = MemoryWatch.start(east, sourceGc);
            var westWatch = MemoryWatch.start(west, targetGc)) {
          double push = curlPut(Http.startUpload(east.url(), REPOSITORY, blob.digest()), blob.file());
          long pushed = System.nanoTime();
          Workspace.delete(blob.file()); // the disk holds the blob three times otherwise
          pushManifest(east.url(), blob);
          ReplicationScenario.awaitReplicated(west.url(), REPOSITORY, List.of("big"), Duration.ofMinutes(30));
          double replication = (System.nanoTime() - pushed) / 1e9;
          long pullStart = System.nanoTime();
          Http.Pulled pulled = Http.pullAndHash(west.url(), REPOSITORY, blob.digest());
          double pull = (System.nanoTime() - pullStart) / 1e9;
          if (pulled.bytes() != size || !pulled.digest().equals(blob.digest()) || !pulled.digestHeader().equals(blob.digest())) {
            throw new IllegalStateException("second region served " + pulled + " for " + blob);
          }
          if (!east.process().isAlive() || !west.process().isAlive()) throw new IllegalStateException("an agent died");
          var run = new Run(size / 1e6 / push, size / 1e6 / replication, size / 1e6 / pull, eastWatch.stop(), westWatch.stop());
          context.log("memory %s: push %.0f MB/s, replication %.0f MB/s, pull %.0f MB/s; %s %s; %s %s; load %s",
              label(size), run.pushMBps(), run.replicationMBps(), run.pullMBps(), SOURCE, describe(run.source()),
              TARGET, describe(run.target()), loadAverage());
          return run;
        }
      }
    } finally {
      Workspace.delete(dir);
    }
  }

  private static List<String> options(Path gcLog) {
    var options = new ArrayList<>(AGENT_HEAP);
    options.add(GcLog.option(gcLog));
    return options;
  }

  /** Seconds for curl to PUT {@code file} to {@code url} in one request (streamed from disk, answered 201). */
  private static double curlPut(String url, Path file) {
    long start = System.nanoTime();
    String status = Command.run(List.of("curl", "-sS", "-u", BenchCredentials.userAndPassword(), "-X", "PUT",
        "-H", "Content-Type: application/octet-stream", "-T", file.toString(), "-o", "/dev/null", "-w", "%{http_code}", url));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!status.trim().equals("201")) throw new IllegalStateException("PUT of " + file + " answered " + status);
    return seconds;
  }

  private static void pushManifest(String registry, BlobFile blob) {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + blob.digest() + "\"]}}").getBytes(StandardCharsets.UTF_8);
    String configDigest = "sha256:" + java.util.HexFormat.of().formatHex(sha256(config));
    Http.putBlob(registry, REPOSITORY, configDigest, config);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
        + "\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.size() + "}]}";
    Http.putManifest(registry, REPOSITORY, "big", "application/vnd.oci.image.manifest.v1+json",
        manifest.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(MemoryWatch.Peaks p) {
    return String.format(java.util.Locale.ROOT, "heap after GC %.0f MiB, heap used %.0f MiB, direct %.1f MiB, RSS %.0f MiB, %d GCs",
        mib(p.gc().peakAfterBytes()), mib(Math.max(p.gc().peakBeforeBytes(), p.heapSampled())), mib(p.direct()),
        mib(p.residentHighWater()), p.gc().collections());
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static String label(long size) {
    return size >= 1L << 30 ? (size >> 30) + " GiB" : (size >> 20) + " MiB";
  }

  private static double mib(long bytes) {
    return bytes / (double) (1 << 20);
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
    return dev.meridian.bench.Stats.median(runs.stream().map(r -> figure.applyAsDouble(r)).toList());
  }

  private Result compared(String metric, List<Run> big, List<Run> little, java.util.function.ToDoubleFunction<Run> figure,
      String baselineName, Target target) {
    return Result.compared(name(), metric, "MiB", big.stream().map(r -> figure.applyAsDouble(r)).toList(),
        little.stream().map(r -> figure.applyAsDouble(r)).toList(), baselineName, target);
  }
}
