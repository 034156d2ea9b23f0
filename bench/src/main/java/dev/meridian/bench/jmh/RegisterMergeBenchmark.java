package dev.meridian.bench.jmh;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.state.RegisterMerge;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** The register merge decision replay makes for every register an event touches. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RegisterMergeBenchmark {
  private final Stamp older = new Stamp(new HlcTimestamp(1_732_700_000_000L, 3), new RegionId("eastus"));
  private final Stamp newer = new Stamp(new HlcTimestamp(1_732_700_000_001L, 0), new RegionId("westeurope"));
  private final Stamp tie = new Stamp(new HlcTimestamp(1_732_700_000_000L, 3), new RegionId("westeurope"));
  private final Optional<Stamp> current = Optional.of(older);

  @Benchmark
  public void mergeAgainstExisting(Blackhole bh) {
    bh.consume(RegisterMerge.wins(newer, current));
    bh.consume(RegisterMerge.wins(tie, current));
    bh.consume(RegisterMerge.wins(older, current));
  }

  @Benchmark
  public boolean mergeIntoEmpty() {
    return RegisterMerge.wins(newer, Optional.empty());
  }
}
