package dev.meridian.core.blob.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.blob.BlobUpload;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.digest.Digester;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import dev.meridian.core.blob.PublishListener;
import dev.meridian.core.blob.UploadInfo;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blob store on a local file system, laid out as {@link BlobPaths} draws it.
 *
 * <p>A blob becomes visible only by an atomic rename of a complete, fsynced, verified file, followed by
 * an fsync of its directory; a crash at any moment leaves either the whole blob or nothing under its
 * digest. Concurrent writers of one digest each write a temp file of their own; the second rename
 * replaces an identical file, which readers of the first never notice.
 *
 * <p>Upload sessions live on disk and survive a restart. While open, a session object is kept here so
 * that every request of one session finds the same object (and its hash state); {@link #close} closes
 * their files without ending them. A crash mid-put leaves a file in {@code tmp/}: it is removed at
 * start, and was never visible.
 */
public final class FileSystemBlobStore implements BlobStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);

  private final BlobPaths paths;
  private final ConcurrentHashMap<UploadId, FileSystemBlobUpload> openUploads = new ConcurrentHashMap<>();
  private final PublishListener published;
  private final int directAlignment;
  private final DirectWrites.Opener openDirect;
  /** Direct writes of large appends, run while the appending thread hashes the same bytes; made on demand. */
  private final ExecutorService directWriters = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "meridian-direct-write");
        thread.setDaemon(true);
        return thread;
      });

  /** Opens (creating if needed) the store under {@code root} and removes what a crash left behind. */
  public FileSystemBlobStore(Path root) {
    this(root, PublishListener.NONE);
  }

  /** As {@link #FileSystemBlobStore(Path)}, telling {@code published} of every file this store verified and renamed into place. */
  public FileSystemBlobStore(Path root, PublishListener published) {
    this(root, published, DirectWrites::open);
  }

  /** As above, opening files for direct writes with {@code openDirect} (tests make it fail). */
  FileSystemBlobStore(Path root, PublishListener published, DirectWrites.Opener openDirect) {
    this.openDirect = requireNonNull(openDirect, "openDirect");
    this.published = requireNonNull(published, "published");
    this.paths = new BlobPaths(root);
    try {
      for (DigestAlgorithm algorithm : DigestAlgorithm.values()) Files.createDirectories(paths.algorithmDir(algorithm));
      Files.createDirectories(paths.uploadsDir());
      Files.createDirectories(paths.tmpDir());
      StartupCleanup.run(paths);
    } catch (IOException e) {
      throw FileOps.unchecked("opening blob store at " + paths.root(), e);
    }
    this.directAlignment = DirectWrites.probe(paths.tmpDir());
  }

  /** Opens {@code file} for direct writes. */
  FileChannel openDirect(Path file) throws IOException {
    return openDirect.open(file);
  }

  ExecutorService directWriters() {
    return directWriters;
  }

  /** The alignment of appends that bypass the page cache here (see {@link BlobUpload#directAlignment()}); 0: none do. */
  public int directAlignment() {
    return directAlignment;
  }

  /** {@code tmp/}: emptied at every start ({@code StartupCleanup}), like the puts that never published. */
  @Override
  public Optional<Path> scratchDirectory() {
    return Optional.of(paths.tmpDir());
  }

  public BlobPaths paths() {
    return paths;
  }

  @Override
  public Optional<BlobInfo> stat(Digest digest) {
    try {
      return Optional.of(new BlobInfo(digest, Files.size(paths.blob(digest))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw FileOps.unchecked("stat " + digest, e);
    }
  }

  @Override
  public BlobContent open(Digest digest) {
    FileChannel channel;
    try {
      channel = FileChannel.open(paths.blob(digest), READ);
    } catch (NoSuchFileException e) {
      throw RegistryException.blobUnknown(digest);
    } catch (IOException e) {
      throw FileOps.unchecked("open " + digest, e);
    }
    try {
      return new FileBlobContent(new BlobInfo(digest, channel.size()), channel);
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw FileOps.unchecked("open " + digest, e);
    }
  }

  @Override
  public BlobInfo put(Digest expected, InputStream content) {
    requireNonNull(content, "content");
    Optional<BlobInfo> existing = stat(expected);
    if (existing.isPresent()) return existing.get();
    Path temp = paths.newTempFile();
    try {
      long size = receive(expected, content, temp);
      return publish(temp, expected, size);
    } catch (IOException e) {
      throw FileOps.unchecked("put " + expected, e);
    } finally {
      // Gone already after a publish; on any failure (mismatch, a stream that throws) this removes it.
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        log.warn("digest={} outcome=temp_file_left path={} error={}", expected, temp, e.toString());
      }
    }
  }

  /** Copies the stream into {@code temp} through one fixed buffer, hashing; fsyncs; verifies. */
  private static long receive(Digest expected, InputStream content, Path temp) throws IOException {
    Digester digester = new Digester(expected.algorithm());
    byte[] buffer = new byte[FileOps.BUFFER_SIZE];
    try (FileChannel out = FileChannel.open(temp, CREATE_NEW, WRITE)) {
      long position = 0;
      for (int read; (read = content.read(buffer)) != -1; ) {
        FileOps.writeFully(out, ByteBuffer.wrap(buffer, 0, read), position);
        digester.update(buffer, 0, read);
        position += read;
      }
      out.force(true);
    }
    long size = digester.bytes();
    Digest actual = digester.digest();
    if (!actual.equals(expected)) {
      throw RegistryException.digestInvalid("content has digest " + actual + ", expected " + expected);
    }
    return size;
  }

  /**
   * Moves a complete, fsynced, verified file into place under {@code digest}, durably. If the blob is
   * there already the file is dropped instead: equal digests mean equal bytes.
   */
  BlobInfo publish(Path verified, Digest digest, long size) throws IOException {
    Path target = paths.blob(digest);
    Path shard = target.getParent();
    if (!Files.isDirectory(shard)) {
      Files.createDirectories(shard); // a concurrent writer creating it too is fine
      FileOps.fsyncDirectory(shard.getParent());
    }
    if (Files.exists(target)) {
      Files.delete(verified);
      return new BlobInfo(digest, size);
    }
    // On POSIX a rename replaces an existing target atomically: losing a race to another writer of
    // this digest swaps in an identical file, and readers of the replaced one keep their handle.
    Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
    FileOps.fsyncDirectory(shard);
    tellPublished(target, digest, size);
    return new BlobInfo(digest, size);
  }

  /**
   * Tells the listener the stamp of the file just renamed into place. Its bytes were hashed as they were written
   * (or re-read from disk after a restart) and matched the digest; a rename keeps the modification time, so the
   * stamp read now is the one any later reader sees until the file is replaced. Should another writer's identical,
   * equally verified file have replaced it meanwhile, the stamp is that file's; should it be gone, nothing is told.
   */
  private void tellPublished(Path target, Digest digest, long size) {
    try {
      published.published(digest, size, Files.getLastModifiedTime(target).toInstant());
    } catch (NoSuchFileException gone) {
      // quarantined or deleted already: there is no verdict to give
    } catch (IOException | RuntimeException e) {
      log.warn("digest={} outcome=publish_not_told error={}", digest, e.toString());
    }
  }

  @Override
  public BlobUpload startUpload(UploadId id) {
    Path dir = paths.uploadDir(id);
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID, "upload exists: " + id, id.value(), 400);
    } catch (IOException e) {
      throw FileOps.unchecked("start upload " + id, e);
    }
    try {
      FileChannel channel = FileChannel.open(paths.uploadData(id), CREATE_NEW, READ, WRITE);
      FileSystemBlobUpload upload = FileSystemBlobUpload.started(this, id, channel);
      openUploads.put(id, upload);
      // The session must outlive a crash once its first chunk is acknowledged: make its entries durable.
      FileOps.fsyncDirectory(dir);
      FileOps.fsyncDirectory(paths.uploadsDir());
      return upload;
    } catch (IOException | RuntimeException e) {
      openUploads.remove(id);
      FileOps.deleteQuietly(dir, e);
      throw e instanceof IOException io ? FileOps.unchecked("start upload " + id, io) : (RuntimeException) e;
    }
  }

  @Override
  public Optional<BlobUpload> findUpload(UploadId id) {
    return Optional.ofNullable(openUploads.computeIfAbsent(id, this::reopen));
  }

  private FileSystemBlobUpload reopen(UploadId id) {
    try {
      return FileSystemBlobUpload.reopened(this, id, FileChannel.open(paths.uploadData(id), READ, WRITE));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw FileOps.unchecked("reopen upload " + id, e);
    }
  }

  /** Called by a session that ended or closed its file: the next findUpload goes to disk. */
  void forget(UploadId id, FileSystemBlobUpload upload) {
    openUploads.remove(id, upload);
  }

  @Override
  public boolean delete(Digest digest) {
    Path blob = paths.blob(digest);
    try {
      // Unlink removes the name only: readers holding the file keep reading the same bytes.
      if (!Files.deleteIfExists(blob)) return false;
      FileOps.fsyncDirectory(blob.getParent());
      return true;
    } catch (IOException e) {
      throw FileOps.unchecked("delete " + digest, e);
    }
  }

  /**
   * Renames the blob into {@code quarantine/} (same file system, so atomic): from then on its digest is
   * absent here, and nothing under {@code quarantine/} is ever opened by digest.
   */
  @Override
  public boolean quarantine(Digest digest) {
    Path blob = paths.blob(digest);
    try {
      Files.createDirectories(paths.quarantineDir());
      Files.move(blob, paths.newQuarantineFile(digest), StandardCopyOption.ATOMIC_MOVE);
      FileOps.fsyncDirectory(blob.getParent());
      FileOps.fsyncDirectory(paths.quarantineDir());
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw FileOps.unchecked("quarantine " + digest, e);
    }
  }

  @Override
  public void forEach(Consumer<BlobInfo> visitor) {
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      try (DirectoryStream<Path> shards = Files.newDirectoryStream(paths.algorithmDir(algorithm))) {
        for (Path shard : shards) {
          if (Files.isDirectory(shard)) visitShard(shard, visitor);
        }
      } catch (NoSuchFileException e) {
        // no blob of this algorithm
      } catch (IOException e) {
        throw FileOps.unchecked("listing " + algorithm.id() + " blobs", e);
      }
    }
  }

  private void visitShard(Path shard, Consumer<BlobInfo> visitor) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
      for (Path file : files) {
        Optional<Digest> digest = paths.digestOf(file);
        if (digest.isEmpty()) continue; // not a blob at its proper place: never served, never visited
        long size;
        try {
          size = Files.size(file);
        } catch (NoSuchFileException deletedMeanwhile) {
          continue;
        }
        visitor.accept(new BlobInfo(digest.get(), size));
      }
    }
  }

  @Override
  public Optional<Instant> lastModified(Digest digest) {
    try {
      return Optional.of(Files.getLastModifiedTime(paths.blob(digest)).toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw FileOps.unchecked("stat " + digest, e);
    }
  }

  @Override
  public void forEachUpload(Consumer<UploadInfo> visitor) {
    try (DirectoryStream<Path> sessions = Files.newDirectoryStream(paths.uploadsDir())) {
      for (Path session : sessions) {
        UploadId id;
        try {
          id = new UploadId(session.getFileName().toString());
        } catch (RegistryException notAnId) {
          continue; // not a session this store made
        }
        Path data = BlobPaths.dataIn(session);
        try {
          visitor.accept(new UploadInfo(id, Files.size(data), Files.getLastModifiedTime(data).toInstant()));
        } catch (NoSuchFileException endedMeanwhile) {
          // committed or cancelled while listing
        }
      }
    } catch (IOException e) {
      throw FileOps.unchecked("listing upload sessions", e);
    }
  }

  /** Closes the files of open upload sessions; their bytes stay on disk for the next start. */
  @Override
  public void close() {
    for (FileSystemBlobUpload upload : List.copyOf(openUploads.values())) upload.release();
    directWriters.shutdown(); // a write under way finishes; an append after this writes on its own thread
  }
}
