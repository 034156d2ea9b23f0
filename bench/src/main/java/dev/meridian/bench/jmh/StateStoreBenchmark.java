package dev.meridian.bench.jmh;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RocksDB state store committing batches like replay and pushes do: each batch a manifest register, a
 * tag register and an outbox entry, {@code batchSize} events per synced write. Time is per batch, so
 * dividing by {@code batchSize} shows what batching buys on this disk (every batch is an fsync).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class StateStoreBenchmark {
  @Param({"1", "64"})
  public int batchSize;

  private Path directory;
  private RocksDbRegistryState state;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("meridian-jmh-state");
    state = RocksDbRegistryState.open(directory);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    state.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public void syncedBatch() {
    var batch = StateBatch.builder();
    for (int i = 0; i < batchSize; i++) {
      int n = next++;
      ManifestPut e = Fixtures.manifestPut(n);
      var stamp = new Stamp(e.hlc(), e.origin());
      batch.putManifest(new ManifestRecord(e.repository(), e.digest(), e.mediaType(), e.size(), e.references(),
          e.subject(), e.artifactType(), e.annotations(), true, stamp));
      batch.putTag(new TagRecord(e.repository(), new Tag("v" + n), Optional.of(e.digest()), stamp));
      batch.appendOutbox(new byte[300]);
    }
    state.apply(batch.build());
  }
}
