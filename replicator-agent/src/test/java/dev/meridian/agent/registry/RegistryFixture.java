package dev.meridian.agent.registry;

import dev.meridian.core.blob.fs.FileSystemBlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.time.Clock;

/** A registry service over the real blob store and RocksDB state in a temp directory, which can be restarted. */
public final class RegistryFixture implements AutoCloseable {
  public static final RegionId REGION = new RegionId("eastus");

  private final Path dir;
  private FileSystemBlobStore blobs;
  private RegistryState state;
  private RegistryService service;

  public RegistryFixture(Path dir) {
    this.dir = dir;
    open();
  }

  private void open() {
    blobs = new FileSystemBlobStore(dir.resolve("blobs-root"));
    state = RocksDbRegistryState.open(dir.resolve("state"));
    service = new RegistryService(blobs, state, new Hlc(Clock.systemUTC()), REGION, Clock.systemUTC());
  }

  public RegistryService service() {
    return service;
  }

  public RegistryState state() {
    return state;
  }

  /** The blob store's root directory ({@code blobs/}, {@code uploads/}, {@code tmp/}). */
  public Path blobsRoot() {
    return dir.resolve("blobs-root").toAbsolutePath();
  }

  /** RocksDB's directory. */
  public Path stateDir() {
    return dir.resolve("state").toAbsolutePath();
  }

  public FileSystemBlobStore blobs() {
    return blobs;
  }

  /** Closes everything and opens a fresh service over the same directory, as a process restart would. */
  public RegistryService restart() {
    blobs.close();
    state.close();
    open();
    return service;
  }

  @Override
  public void close() {
    blobs.close();
    state.close();
  }
}
