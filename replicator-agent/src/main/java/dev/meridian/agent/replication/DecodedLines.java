package dev.meridian.agent.replication;

import dev.meridian.core.event.SnapshotCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * A snapshot's lines, read and decoded ahead on a thread of their own while the caller merges the ones before: JFR over
 * a region seeding 4.2 million registers put decoding at over a third of the one merging thread, with the other core
 * left partly idle. Lines arrive in order, in chunks, at most {@code chunksAhead} chunks ahead of the caller, so memory
 * stays bounded whatever the snapshot's size. A line that does not decode, or a stream that fails, is handed over in
 * its place and ends the reading. Single consumer.
 */
final class DecodedLines implements AutoCloseable {
  private static final Object END = new Object();

  private final BlockingQueue<List<Object>> chunks;
  private final Thread reader;
  private List<Object> current = List.of();
  private int next;
  private boolean ended;

  /**
   * @param decode decodes one line, or throws {@link SnapshotSeeder.SnapshotException} for a line that is none
   */
  DecodedLines(InputStream in, Function<String, SnapshotCodec.Line> decode, int chunkSize, int chunksAhead) {
    if (chunkSize < 1 || chunksAhead < 1) throw new IllegalArgumentException("chunks must hold a line and be one ahead");
    this.chunks = new ArrayBlockingQueue<>(chunksAhead);
    this.reader = new Thread(() -> read(in, decode, chunkSize), "meridian-seed-decode");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(InputStream in, Function<String, SnapshotCodec.Line> decode, int chunkSize) {
    List<Object> chunk = new ArrayList<>(chunkSize);
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
      for (String text = lines.readLine(); text != null; text = lines.readLine()) {
        try {
          chunk.add(decode.apply(text));
        } catch (SnapshotSeeder.SnapshotException e) {
          chunk.add(e);
          chunks.put(chunk);
          return;
        }
        if (chunk.size() == chunkSize) {
          chunks.put(chunk);
          chunk = new ArrayList<>(chunkSize);
        }
      }
      chunk.add(END);
      chunks.put(chunk);
    } catch (InterruptedException e) {
      // closed by the caller: it reads no further
    } catch (Throwable e) {
      // Whatever it is (a failed stream, an OutOfMemoryError on a huge line), the merge must see it, not wait forever.
      chunk.add(e);
      putQuietly(chunk);
    }
  }

  private void putQuietly(List<Object> chunk) {
    try {
      chunks.put(chunk);
    } catch (InterruptedException e) {
      // closed by the caller
    }
  }

  /**
   * The next line, or {@code null} at the end of the stream.
   *
   * @throws SnapshotSeeder.SnapshotException for a line that does not decode
   * @throws IOException when the stream failed
   */
  SnapshotCodec.Line next() throws IOException {
    if (ended) return null;
    if (next == current.size()) {
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading the snapshot", e);
      }
      next = 0;
    }
    Object item = current.get(next++);
    if (item == END) {
      ended = true;
      return null;
    }
    if (item instanceof SnapshotCodec.Line line) return line;
    ended = true;
    if (item instanceof IOException e) throw e;
    if (item instanceof Error e) throw e;
    throw (RuntimeException) item;
  }

  /** Stops reading ahead (waiting a moment for the reader to go); the stream itself stays the caller's to close. */
  @Override
  public void close() {
    reader.interrupt();
    try {
      reader.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
