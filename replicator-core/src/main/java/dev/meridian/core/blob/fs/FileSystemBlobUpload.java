package dev.meridian.core.blob.fs;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.digest.Digester;
import dev.meridian.core.error.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upload session over {@code uploads/<id>/data}: appends are positional writes at the end, hashed
 * as they pass with one {@link Digester}.
 *
 * <p>Single-writer: one caller at a time, as {@link BlobUpload} says; nothing here is synchronised. Two other
 * threads touch the file: its {@link WriteBehind}'s background {@code fdatasync}, and a store's writer thread that
 * makes a large direct write while the caller hashes the same bytes, the caller waiting for it before it returns.
 *
 * <p>Two surprises. The expected digest is known only at commit, so appends are hashed with sha256
 * (what clients use); a commit to another algorithm re-reads the file once. And a session reopened
 * after a restart has lost its hash state: the bytes on disk are re-hashed once, lazily, at the next
 * append or at commit, not when the session is found (a status query should stay cheap).
 */
final class FileSystemBlobUpload implements BlobUpload {
  private static final Logger log = LoggerFactory.getLogger(FileSystemBlobUpload.class);
  private static final DigestAlgorithm INCREMENTAL = DigestAlgorithm.SHA256;

  private final FileSystemBlobStore store;
  private final BlobPaths paths;
  private final UploadId id;
  private FileChannel channel; // null once committed, cancelled or released by the store
  private FileChannel direct; // the same file opened for direct writes, at the first one; null before and once released
  private boolean directFailed; // a direct write failed here once: this session buffers from then on
  private boolean bufferedSinceSync; // bytes written through the page cache that no sync has made durable yet
  private final WriteBehind writeBehind;
  private long size;
  private Digester digester; // null: the bytes on disk are not hashed yet
  private boolean ended;

  private FileSystemBlobUpload(FileSystemBlobStore store, UploadId id, FileChannel channel, long size, Digester digester) {
    this.store = requireNonNull(store, "store");
    this.paths = store.paths();
    this.id = requireNonNull(id, "id");
    this.channel = requireNonNull(channel, "channel");
    this.writeBehind = new WriteBehind(channel);
    this.size = size;
    this.digester = digester;
  }

  /** A fresh, empty session. */
  static FileSystemBlobUpload started(FileSystemBlobStore store, UploadId id, FileChannel channel) {
    return new FileSystemBlobUpload(store, id, channel, 0, new Digester(INCREMENTAL));
  }

  /** A session found on disk: everything there counts as received; its hash is rebuilt when needed. */
  static FileSystemBlobUpload reopened(FileSystemBlobStore store, UploadId id, FileChannel channel) throws IOException {
    return new FileSystemBlobUpload(store, id, channel, channel.size(), null);
  }

  @Override
  public UploadId id() {
    return id;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void append(ByteBuffer bytes) {
    append(bytes, false);
  }

  @Override
  public void appendDirect(ByteBuffer bytes) {
    append(bytes, true);
  }

  private void append(ByteBuffer bytes, boolean mayBypassCache) {
    FileChannel ch = requireLive();
    int length = bytes.remaining();
    ByteBuffer forHash = bytes.duplicate();
    Written written;
    try {
      ensureHashed(ch);
      written = mayBypassCache ? writeDirect(ch, bytes, forHash) : Written.NOT;
      if (written == Written.NOT) {
        FileOps.writeFully(ch, bytes, size);
        bufferedSinceSync = true;
      }
    } catch (IOException e) {
      // A partial write leaves bytes past `size` that the hash has not seen: cut them off again.
      try {
        ch.truncate(size);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw FileOps.unchecked("append to upload " + id, e);
    }
    // Null after a direct write that failed while it was hashed: rebuilt from the file at the next use.
    if (written != Written.DIRECT_HASHED && digester != null) digester.update(forHash);
    size += length;
    writeBehind.written(length);
  }

  /** How an append's bytes were written. */
  private enum Written {
    /** Not yet: they go through the page cache. */
    NOT,
    /** Past the page cache; not hashed yet. */
    DIRECT,
    /** Past the page cache, and hashed while the device wrote them. */
    DIRECT_HASHED
  }

  /**
   * Direct appends of at least this many bytes are written by another thread while the appending one hashes them:
   * a direct write waits for the device (4 MiB took ~4 ms here, the SHA-256 of it ~2.5 ms), so done one after the
   * other the two made a lone large copy wait for both.
   */
  static final int HASH_WHILE_WRITING_MIN_BYTES = 1 << 20;

  @Override
  public int directAlignment() {
    return directFailed ? DirectWrites.NONE : store.directAlignment();
  }

  /**
   * Writes {@code bytes} at the end with {@code O_DIRECT} when they fit its alignment; false, with nothing written,
   * when they do not. A direct write that fails is logged and the caller writes the same bytes buffered: a file
   * system that takes the probe's block but not these (say, a smaller block size than it reported) then costs a copy,
   * not a failed transfer; a disk really out of space or failing fails the buffered write too.
   *
   * <p>Buffered bytes not yet synced are synced first: a direct write that extends the file can make the new length
   * durable (ext4 commits it with the journal) while an earlier buffered page is still only in memory, and a power
   * cut would then leave zeros inside the session. That costs one {@code fdatasync} where the two kinds meet (a
   * session resumed mid-block), not one per write.
   */
  private Written writeDirect(FileChannel ch, ByteBuffer bytes, ByteBuffer forHash) throws IOException {
    if (directFailed || !DirectWrites.fits(bytes, size, store.directAlignment())) return Written.NOT;
    if (bufferedSinceSync) {
      ch.force(false);
      bufferedSinceSync = false;
    }
    int start = bytes.position();
    try {
      if (direct == null) direct = openDirect(ch);
      if (bytes.remaining() < HASH_WHILE_WRITING_MIN_BYTES) {
        FileOps.writeFully(direct, bytes, size);
        return Written.DIRECT;
      }
      return writeDirectWhileHashing(direct, bytes, forHash);
    } catch (IOException e) {
      directFailed = true;
      log.warn("upload.direct_write_failed upload={} at={} outcome=buffered reason={}", id, size, e.toString());
      closeDirect(); // this session buffers from now on: nothing needs the handle
      bytes.position(start);
      return Written.NOT;
    }
  }

  /**
   * Writes on one of the store's writer threads while this one hashes the same bytes (both only read them), and
   * returns once both are done: the caller may reuse the buffer then, never before, even when interrupted. Should
   * the write fail, the hash has seen bytes that are not on disk: it is dropped, to be rebuilt from the file.
   */
  private Written writeDirectWhileHashing(FileChannel target, ByteBuffer bytes, ByteBuffer forHash) throws IOException {
    long at = size;
    Future<?> write;
    try {
      write = store.directWriters().submit(() -> {
        FileOps.writeFully(target, bytes, at);
        return null;
      });
    } catch (RejectedExecutionException storeClosing) {
      FileOps.writeFully(target, bytes, at);
      return Written.DIRECT;
    }
    digester.update(forHash);
    try {
      awaitUninterruptibly(write);
    } catch (IOException | RuntimeException | Error e) {
      digester = null;
      throw e;
    }
    return Written.DIRECT_HASHED;
  }

  private static void awaitUninterruptibly(Future<?> write) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          write.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) throw io;
          if (cause instanceof RuntimeException runtime) throw runtime;
          if (cause instanceof Error error) throw error;
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  private void closeDirect() {
    FileChannel directCh = direct;
    direct = null;
    if (directCh == null) return;
    try {
      directCh.close();
    } catch (IOException e) {
      log.warn("upload.direct_close_failed upload={} reason={}", id, e.toString());
    }
  }

  /** The session's file opened again for direct writes; closed again if the session was released meanwhile. */
  private FileChannel openDirect(FileChannel ch) throws IOException {
    FileChannel opened = store.openDirect(paths.uploadData(id));
    if (channel != ch) { // the store closed (release) while this append ran: do not leave a handle behind
      opened.close();
      throw new java.nio.channels.ClosedChannelException();
    }
    return opened;
  }

  @Override
  public void sync() {
    try {
      FileChannel ch = requireLive();
      // Most bytes were flushed already by the write-behind; this sync covers the rest, and the length.
      settleWriteBehind();
      // fdatasync: the bytes and the length that reads them back, not the timestamps (one journal write less).
      ch.force(false);
      bufferedSinceSync = false;
    } catch (IOException e) {
      throw FileOps.unchecked("sync upload " + id, e);
    }
  }

  @Override
  public BlobInfo commit(Digest expected) {
    requireNonNull(expected, "expected");
    FileChannel ch = requireLive();
    Digest actual;
    try {
      if (ch.size() != size) ch.truncate(size); // bytes of a failed append, never acknowledged
      settleWriteBehind();
      ch.force(false);
      actual = digestWith(expected.algorithm(), ch);
    } catch (IOException e) {
      throw FileOps.unchecked("commit upload " + id, e);
    }
    if (!actual.equals(expected)) {
      cancel();
      throw RegistryException.digestInvalid("upload " + id + " has digest " + actual + ", expected " + expected);
    }
    // From here this object is spent. Should publishing fail, the session stays on disk and a later
    // findUpload reopens it from there.
    release();
    try {
      BlobInfo info = store.publish(paths.uploadData(id), expected, size);
      ended = true;
      removeSessionDir();
      return info;
    } catch (IOException e) {
      throw FileOps.unchecked("publish upload " + id + " as " + expected, e);
    }
  }

  @Override
  public void cancel() {
    if (ended) return;
    ended = true;
    release();
    try {
      FileOps.deleteRecursively(paths.uploadDir(id));
    } catch (IOException e) {
      throw FileOps.unchecked("cancel upload " + id, e);
    }
  }

  /**
   * Waits for the write-behind. After a failed background sync this object is done with: it releases the file, so
   * the next {@code findUpload} reopens the session from disk and rebuilds its hash from the bytes really there (a
   * commit then fails on a digest mismatch if the disk lost some, never publishing them); kept open, every later
   * sync would fail for good, and a transfer reusing its session would never complete until a restart.
   */
  private void settleWriteBehind() throws IOException {
    try {
      writeBehind.settle();
    } catch (IOException e) {
      try {
        release();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** For tests: the write-behind of this session. */
  WriteBehind writeBehind() {
    return writeBehind;
  }

  /** Closes the file and leaves the session to be found again; used by commit and store shutdown. */
  void release() {
    store.forget(id, this);
    FileChannel ch = channel;
    channel = null;
    if (ch == null) return;
    writeBehind.quiesce(); // a background sync must not find its file closed under it
    FileChannel directCh = direct;
    direct = null;
    try (directCh) {
      ch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Digest digestWith(DigestAlgorithm algorithm, FileChannel ch) throws IOException {
    if (algorithm != INCREMENTAL) return FileOps.hash(ch, size, algorithm).digest();
    ensureHashed(ch);
    Digest digest = digester.digest();
    digester = null; // digest() resets it: were the commit to fail, the next use re-hashes from disk
    return digest;
  }

  private void ensureHashed(FileChannel ch) throws IOException {
    if (digester == null) digester = FileOps.hash(ch, size, INCREMENTAL);
  }

  private FileChannel requireLive() {
    if (channel == null) throw RegistryException.uploadUnknown(id.value());
    return channel;
  }

  private void removeSessionDir() {
    try {
      FileOps.deleteRecursively(paths.uploadDir(id));
    } catch (IOException e) {
      // The blob is published; an empty session directory is removed at the next start.
      log.warn("upload={} outcome=session_dir_left error={}", id, e.toString());
    }
  }
}
