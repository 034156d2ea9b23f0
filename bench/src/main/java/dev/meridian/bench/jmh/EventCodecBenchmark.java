package dev.meridian.bench.jmh;

import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The JSON event codec, per event: every relayed and replayed event goes through it once. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EventCodecBenchmark {
  private final EventCodec codec = new EventCodec();
  private ReplicationEvent manifestPut;
  private ReplicationEvent tagPut;
  private byte[] manifestPutBytes;
  private byte[] tagPutBytes;

  @Setup
  public void setUp() {
    manifestPut = Fixtures.manifestPut(7);
    tagPut = Fixtures.tagPut(7);
    manifestPutBytes = codec.encode(manifestPut);
    tagPutBytes = codec.encode(tagPut);
  }

  @Benchmark
  public byte[] encodeManifestPut() {
    return codec.encode(manifestPut);
  }

  @Benchmark
  public ReplicationEvent decodeManifestPut() {
    return codec.decode(manifestPutBytes);
  }

  @Benchmark
  public byte[] encodeTagPut() {
    return codec.encode(tagPut);
  }

  @Benchmark
  public ReplicationEvent decodeTagPut() {
    return codec.decode(tagPutBytes);
  }
}
