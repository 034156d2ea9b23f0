package dev.meridian.bench.jmh;

import dev.meridian.agent.lifecycle.QuotaPolicy;
import dev.meridian.agent.lifecycle.StorageUsage;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.state.ManifestContent;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a manifest push pays for quota admission ({@code StorageUsage.admit} under a registry quota) in a registry
 * of {@code manifests} manifests, each with its own config and two shared layers: it should not grow with the
 * registry. Each operation admits a new manifest (its digest hashed from a counter, a fraction of a microsecond);
 * the usage is scanned again before each iteration, as the agent does in the background, which also clears what
 * the previous iteration's pushes added.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class QuotaAdmissionBenchmark {
  @Param({"1000", "1000000"})
  public int manifests;

  private static final List<Descriptor> SHARED_LAYERS = List.of(
      Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"), Fixtures.digest("base"), 31_000_000),
      Descriptor.of(new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"), Fixtures.digest("deps"), 12_000_000));
  private static final Stamp STAMP = new Stamp(new HlcTimestamp(1_732_700_000_000L, 0), Fixtures.ORIGIN);

  private StorageUsage usage;
  private long next;

  @Setup(Level.Trial)
  public void open() {
    usage = new StorageUsage(registers(manifests), new QuotaPolicy(Optional.of(Long.MAX_VALUE / 2), Map.of()));
  }

  @Setup(Level.Iteration)
  public void scan() {
    usage.refresh();
  }

  @Benchmark
  public void admitAPush() {
    Digest manifest = counted("pushed", next++);
    usage.admit(Fixtures.REPOSITORY, manifest, 1_024, List.of(
        Descriptor.of(MediaType.OCI_CONFIG, counted("pushed-config", next), 1_234), SHARED_LAYERS.get(0),
        SHARED_LAYERS.get(1)));
  }

  private static Digest counted(String kind, long i) {
    byte[] seed = kind.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return Digest.sha256Of(ByteBuffer.allocate(seed.length + Long.BYTES).put(seed).putLong(i).array());
  }

  /** Registers whose only use here, the manifest scan, yields {@code count} manifests made up on the fly. */
  private static RegistryState registers(int count) {
    return (RegistryState) Proxy.newProxyInstance(QuotaAdmissionBenchmark.class.getClassLoader(),
        new Class<?>[] {RegistryState.class}, (proxy, method, args) -> {
          if (!method.getName().equals("forEachManifestContent")) {
            throw new UnsupportedOperationException(method.getName() + " is not used by quota admission");
          }
          @SuppressWarnings("unchecked")
          Consumer<ManifestContent> visitor = (Consumer<ManifestContent>) args[0];
          for (int i = 0; i < count; i++) {
            visitor.accept(ManifestContent.of(new ManifestRecord(Fixtures.REPOSITORY, counted("manifest", i), MediaType.OCI_MANIFEST,
                1_024, List.of(Descriptor.of(MediaType.OCI_CONFIG, counted("config", i), 1_234), SHARED_LAYERS.get(0),
                    SHARED_LAYERS.get(1)), Optional.empty(), Optional.empty(), Map.of(), true, STAMP)));
          }
          return null;
        });
  }
}
