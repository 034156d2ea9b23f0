package dev.meridian.bench.jmh;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.digest.Digester;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming SHA-256 over a 64 MiB buffer in chunks, the way uploads and transfers hash: {@link Digester} vs
 * {@link MessageDigest} alone. The two should be equal: any gap is overhead in the wrapper.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DigestBenchmark {
  private static final int SIZE = 64 << 20;

  @Param({"65536"})
  public int chunk;

  private byte[] bytes;
  private ByteBuffer direct;

  @Setup
  public void setUp() {
    bytes = new byte[SIZE];
    var random = new SplittableRandom(1);
    ByteBuffer view = ByteBuffer.wrap(bytes);
    while (view.hasRemaining()) view.putLong(random.nextLong());
    direct = ByteBuffer.allocateDirect(SIZE);
    direct.put(bytes).flip();
  }

  @Benchmark
  public Digest digesterOverArray() {
    var digester = new Digester(DigestAlgorithm.SHA256);
    for (int offset = 0; offset < SIZE; offset += chunk) digester.update(bytes, offset, Math.min(chunk, SIZE - offset));
    return digester.digest();
  }

  /** Netty hands the upload path direct buffers. */
  @Benchmark
  public Digest digesterOverDirectBuffer() {
    var digester = new Digester(DigestAlgorithm.SHA256);
    ByteBuffer all = direct.duplicate();
    for (int offset = 0; offset < SIZE; offset += chunk) {
      all.limit(Math.min(offset + chunk, SIZE)).position(offset);
      digester.update(all);
    }
    return digester.digest();
  }

  @Benchmark
  public byte[] messageDigestAlone() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (int offset = 0; offset < SIZE; offset += chunk) sha256.update(bytes, offset, Math.min(chunk, SIZE - offset));
    return sha256.digest();
  }
}
