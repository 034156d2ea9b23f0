package dev.meridian.core.state.rocksdb;

import dev.meridian.core.state.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksObject;
import org.rocksdb.Slice;
import org.rocksdb.WriteOptions;

/**
 * An open RocksDB database with the state store's column families, and every native object it needs.
 * Each call is translated once: {@link RocksDBException} becomes {@link StateStoreException}, and a call
 * after {@link #close} becomes {@link IllegalStateException} rather than a JVM crash in freed memory.
 */
final class RocksDbHandle implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final long BLOCK_CACHE_BYTES = 32L << 20;
  private static final long WRITE_BUFFERS_BYTES = 64L << 20;
  private static final double BLOOM_BITS_PER_KEY = 10;

  /** A RocksDB call, which may throw the checked {@link RocksDBException}. */
  interface RocksCall<T> {
    T call() throws RocksDBException;
  }

  /** Sees one key and value of a scan; returns whether to go on. */
  interface Visitor {
    boolean visit(byte[] key, byte[] value);
  }

  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites;
  private final WriteOptions unsyncedWrites;
  /** Everything to close after the database, in order. */
  private final List<AutoCloseable> resources;
  /** Calls hold it shared; close holds it exclusively, so it waits for calls in flight. */
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle

  private RocksDbHandle(
      RocksDB db, Map<Family, ColumnFamilyHandle> handles, List<AutoCloseable> resources,
      WriteOptions syncWrites, WriteOptions unsyncedWrites) {
    this.db = db;
    this.handles = Collections.unmodifiableMap(handles);
    this.resources = resources;
    this.syncWrites = syncWrites;
    this.unsyncedWrites = unsyncedWrites;
  }

  static RocksDbHandle open(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StateStoreException("cannot create state directory " + directory, e);
    }
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      LRUCache cache = track(resources, new LRUCache(BLOCK_CACHE_BYTES));
      BloomFilter bloom = track(resources, new BloomFilter(BLOOM_BITS_PER_KEY));
      ColumnFamilyOptions familyOptions = track(resources, new ColumnFamilyOptions()
          .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)));
      DBOptions dbOptions = track(resources, new DBOptions()
          .setCreateIfMissing(true)
          .setCreateMissingColumnFamilies(true)
          .setDbWriteBufferSize(WRITE_BUFFERS_BYTES)
          .setKeepLogFileNum(5));
      WriteOptions syncWrites = track(resources, new WriteOptions().setSync(true));
      WriteOptions unsyncedWrites = track(resources, new WriteOptions());

      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
      for (Family family : Family.values()) descriptors.add(new ColumnFamilyDescriptor(family.nameBytes(), familyOptions));
      List<ColumnFamilyHandle> opened = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, opened);

      Map<Family, ColumnFamilyHandle> handles = new EnumMap<>(Family.class);
      for (Family family : Family.values()) handles.put(family, opened.get(family.ordinal() + 1));
      // Close order: column family handles, then the database, then the options they were made with.
      List<AutoCloseable> closeOrder = new ArrayList<>(opened);
      closeOrder.add(db::closeE);
      Collections.reverse(resources);
      closeOrder.addAll(resources);
      return new RocksDbHandle(db, handles, closeOrder, syncWrites, unsyncedWrites);
    } catch (RocksDBException | RuntimeException e) {
      StateStoreException failure =
          new StateStoreException("cannot open state store in " + directory + ": " + e.getMessage(), e);
      Collections.reverse(resources);
      try {
        closeAll(resources);
      } catch (StateStoreException closing) {
        failure.addSuppressed(closing);
      }
      throw failure;
    }
  }

  /** Runs a call unless closed, translating its failure. */
  <T> T run(RocksCall<T> call) {
    lifecycle.readLock().lock();
    try {
      if (closed) throw new IllegalStateException("state store is closed");
      return call.call();
    } catch (RocksDBException e) {
      throw new StateStoreException("state store failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  Optional<byte[]> get(Family family, byte[] key) {
    return run(() -> Optional.ofNullable(db.get(handle(family), key)));
  }

  /**
   * Visits the keys starting with {@code prefix}, in byte order, from {@code from} (at or after it) on. The iterator
   * is bounded above by the prefix's end: without the bound, the step past the prefix's last live key walks over every
   * deleted key after it (another notification queue's delivered head, say) until it finds a live one.
   */
  void scan(Family family, byte[] prefix, byte[] from, Visitor visitor) {
    run(() -> {
      Optional<byte[]> end = StateKeys.prefixEnd(prefix);
      try (Slice bound = end.map(Slice::new).orElse(null);
           ReadOptions read = new ReadOptions();
           RocksIterator it = db.newIterator(handle(family), bound == null ? read : read.setIterateUpperBound(bound))) {
        for (it.seek(from); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (!StateKeys.startsWith(key, prefix) || !visitor.visit(key, it.value())) break;
        }
        it.status();
      }
      return null;
    });
  }

  /**
   * Visits every key of a family, in byte order, without putting the blocks it reads into the block cache: a pass over
   * a whole family (a million manifest registers) would otherwise evict the blocks requests keep reading, and each
   * block it reads it reads once.
   */
  void scanWhole(Family family, Visitor visitor) {
    run(() -> {
      try (ReadOptions read = new ReadOptions().setFillCache(false); RocksIterator it = db.newIterator(handle(family), read)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          if (!visitor.visit(it.key(), it.value())) break;
        }
        it.status();
      }
      return null;
    });
  }

  /** Visits every key of a family as {@code read} sees it (e.g. pinned to a snapshot); the caller holds {@link #run}. */
  void scan(Family family, ReadOptions read, java.util.function.BiConsumer<byte[], byte[]> visitor) throws RocksDBException {
    try (RocksIterator it = db.newIterator(handle(family), read)) {
      for (it.seekToFirst(); it.isValid(); it.next()) visitor.accept(it.key(), it.value());
      it.status();
    }
  }

  RocksDB db() {
    return db;
  }

  Map<Family, ColumnFamilyHandle> handles() {
    return handles;
  }

  ColumnFamilyHandle handle(Family family) {
    return handles.get(family);
  }

  WriteOptions syncWrites() {
    return syncWrites;
  }

  WriteOptions unsyncedWrites() {
    return unsyncedWrites;
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      closeAll(resources);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private static <T extends RocksObject> T track(List<AutoCloseable> resources, T resource) {
    resources.add(resource);
    return resource;
  }

  /** Closes each in order even if one fails; reports the first failure. */
  private static void closeAll(List<AutoCloseable> resources) {
    StateStoreException failure = null;
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) failure = new StateStoreException("closing the state store failed: " + e.getMessage(), e);
      }
    }
    if (failure != null) throw failure;
  }
}
