package dev.meridian.agent.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.event.SnapshotCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DecodedLinesTest {
  /** A line is its number; "bad" is not a line. */
  private static final Function<String, SnapshotCodec.Line> DECODE = text -> {
    if (text.equals("bad")) throw new SnapshotSeeder.SnapshotException("bad line");
    return new SnapshotCodec.End(Long.parseLong(text));
  };

  private static InputStream numbers(int from, int to) {
    return new ByteArrayInputStream(IntStream.range(from, to).mapToObj(Integer::toString)
        .collect(Collectors.joining("\n", "", "\n")).getBytes(UTF_8));
  }

  private static List<Long> readAll(DecodedLines lines) throws IOException {
    List<Long> read = new ArrayList<>();
    for (SnapshotCodec.Line line = lines.next(); line != null; line = lines.next()) read.add(((SnapshotCodec.End) line).records());
    return read;
  }

  @Test
  void everyLineArrivesInOrderAcrossChunksAndThenTheEnd() throws IOException {
    try (DecodedLines lines = new DecodedLines(numbers(0, 1_000), DECODE, 7, 2)) {
      assertThat(readAll(lines)).containsExactlyElementsOf(IntStream.range(0, 1_000).mapToObj(Long::valueOf).toList());
      assertThat(lines.next()).isNull();
    }
  }

  @Test
  void aLineThatDoesNotDecodeIsThrownInItsPlaceAfterTheLinesBeforeIt() throws IOException {
    InputStream in = new SequenceInputStream(numbers(0, 10), new ByteArrayInputStream("bad\n11\n".getBytes(UTF_8)));
    try (DecodedLines lines = new DecodedLines(in, DECODE, 4, 2)) {
      for (long n = 0; n < 10; n++) assertThat(((SnapshotCodec.End) lines.next()).records()).isEqualTo(n);
      assertThatThrownBy(lines::next).isInstanceOf(SnapshotSeeder.SnapshotException.class).hasMessage("bad line");
      assertThat(lines.next()).isNull();
    }
  }

  @Test
  void aStreamThatFailsHandsOverItsLinesAndThenItsFailure() throws IOException {
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("connection reset");
      }
    };
    try (DecodedLines lines = new DecodedLines(new SequenceInputStream(numbers(0, 3), failing), DECODE, 100, 2)) {
      assertThatThrownBy(() -> readAll(lines)).isInstanceOf(IOException.class).hasMessage("connection reset");
    }
  }

  @Test
  void anErrorWhileReadingReachesTheCallerInsteadOfLeavingItWaiting() throws IOException {
    Function<String, SnapshotCodec.Line> exhausted = text -> {
      if (text.equals("5")) throw new OutOfMemoryError("line too large");
      return DECODE.apply(text);
    };
    try (DecodedLines lines = new DecodedLines(numbers(0, 10), exhausted, 100, 2)) {
      // Preemptively timed: without the hand-over the caller would wait for ever, not fail.
      Throwable thrown = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> org.junit.jupiter.api.Assertions.assertThrows(OutOfMemoryError.class, () -> readAll(lines)));
      assertThat(thrown).hasMessage("line too large");
    }
  }

  @Test
  void closingStopsTheReaderThatWaitsForRoomAhead() throws IOException {
    DecodedLines lines = new DecodedLines(numbers(0, 100_000), DECODE, 10, 1);
    assertThat(lines.next()).isNotNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> readerThreads() == 1);

    lines.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> readerThreads() == 0);
  }

  private static long readerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("meridian-seed-decode") && t.isAlive()).count();
  }
}
