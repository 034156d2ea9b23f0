package dev.meridian.agent.replication;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.digest.Digester;
import dev.meridian.core.event.SnapshotCodec;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.RegisterEvents;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterSnapshots;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.digest.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This region's register snapshot as served to a joining region ({@code GET /admin/v1/snapshot}): read from one
 * RocksDB snapshot ({@link RegisterSnapshots}) straight into a file under {@code DIR/snapshots/}, which is then
 * opened, unlinked and sent as a zero-copy file region.
 *
 * <p>Why a file rather than streaming from the database to the socket: the RocksDB snapshot (and the store's open
 * state) is held only as long as writing to the local disk takes, not as long as a slow peer takes to read; and the
 * memory cost is one buffer whatever the number of tags. The unlinked file disappears when the response is sent.
 */
public final class SnapshotExport implements Supplier<BlobContent> {
  private static final Logger log = LoggerFactory.getLogger(SnapshotExport.class);

  private final RegionId self;
  private final RegisterSnapshots snapshots;
  private final Path directory;
  private final SnapshotCodec codec = new SnapshotCodec();

  /** Also deletes snapshot files a crash left behind (each is unlinked as soon as it is open, normally). */
  public SnapshotExport(RegionId self, RegisterSnapshots snapshots, Path directory) {
    this.self = self;
    this.snapshots = snapshots;
    this.directory = directory;
    if (Files.isDirectory(directory)) {
      try (var leftovers = Files.newDirectoryStream(directory, "snapshot-*.jsonl")) {
        for (Path file : leftovers) Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("snapshot.cleanup.failed dir={} reason={}", directory, e.toString());
      }
    }
  }

  /** Writes a snapshot now and returns it open (its file already unlinked); the caller closes it. */
  @Override
  public BlobContent get() {
    long start = System.nanoTime();
    try {
      Files.createDirectories(directory);
      Path file = Files.createTempFile(directory, "snapshot-", ".jsonl");
      try {
        Digester digester = new Digester(DigestAlgorithm.SHA256);
        long[] registers = {0};
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
          write(out, digester, registers);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        BlobInfo info = new BlobInfo(digester.digest(), digester.bytes());
        log.info("snapshot.exported registers={} size_bytes={} duration_ms={}", registers[0], info.size(),
            (System.nanoTime() - start) / 1_000_000);
        return new OpenFile(info, channel);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a snapshot under " + directory, e);
    }
  }

  private void write(OutputStream out, Digester digester, long[] registers) {
    RegisterEvents events = new RegisterEvents(self);
    snapshots.readSnapshot(new RegisterSnapshots.Visitor() {
      @Override
      public void offsets(Map<LogPosition, Long> offsets) {
        emit(new SnapshotCodec.Header(self, offsets));
      }

      @Override
      public void manifest(ManifestRecord manifest) {
        register(events.of(manifest));
      }

      @Override
      public void tag(TagRecord tag) {
        register(events.of(tag));
      }

      @Override
      public void blobLink(BlobLinkRecord link) {
        register(events.of(link));
      }

      @Override
      public void lock(LockRecord lock) {
        register(events.of(lock));
      }

      @Override
      public void replica(RepositoryName repository, Digest digest, RegionId region) {
        register(events.replica(repository, digest, region));
      }

      private void register(dev.meridian.core.event.ReplicationEvent event) {
        emit(new SnapshotCodec.Register(event));
        registers[0]++;
      }

      private void emit(SnapshotCodec.Line line) {
        byte[] bytes = codec.encode(line);
        digester.update(bytes, 0, bytes.length);
        try {
          out.write(bytes);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    byte[] end = codec.encode(new SnapshotCodec.End(registers[0]));
    digester.update(end, 0, end.length);
    try {
      out.write(end);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unlinked file, read positionally. */
  private record OpenFile(BlobInfo info, FileChannel channel) implements BlobContent {
    @Override
    public InputStream openStream(long from, long toExclusive) {
      if (from < 0 || from > toExclusive || toExclusive > info.size()) throw new IllegalArgumentException("range outside the snapshot");
      return new InputStream() {
        private long position = from;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (position >= toExclusive) return -1;
          int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, toExclusive - position)), position);
          if (n > 0) position += n;
          return n;
        }
      };
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
