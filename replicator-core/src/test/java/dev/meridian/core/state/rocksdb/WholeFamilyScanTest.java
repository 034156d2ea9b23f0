package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;

/**
 * A pass over a whole family reads each block once: it must leave the block cache as it found it, so that the blocks
 * requests keep reading stay cached while a million registers are scanned.
 */
class WholeFamilyScanTest {
  @TempDir Path dir;

  private static final int KEYS = 20_000;

  /** Writes {@code KEYS} manifest-family keys and flushes them to table files, then reopens the store. */
  private RocksDbHandle storeOnDisk() {
    try (RocksDbHandle handle = RocksDbHandle.open(dir.resolve("state"))) {
      handle.run(() -> {
        byte[] value = new byte[200];
        for (int i = 0; i < KEYS; i++) {
          handle.db().put(handle.handle(Family.MANIFESTS), String.format("r%06d", i).getBytes(StandardCharsets.UTF_8), value);
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
          handle.db().flush(flush, handle.handle(Family.MANIFESTS));
        }
        return null;
      });
    }
    return RocksDbHandle.open(dir.resolve("state"));
  }

  private static long cacheUsage(RocksDbHandle handle) {
    return handle.run(() -> handle.db().getLongProperty(handle.handle(Family.MANIFESTS), "rocksdb.block-cache-usage"));
  }

  @Test
  void aWholeFamilyScanVisitsEveryKeyAndLeavesTheBlockCacheAsItWas() {
    try (RocksDbHandle handle = storeOnDisk()) {
      long before = cacheUsage(handle);
      int[] visited = {0};

      handle.scanWhole(Family.MANIFESTS, (key, value) -> ++visited[0] > 0);

      assertThat(visited[0]).isEqualTo(KEYS);
      assertThat(cacheUsage(handle) - before).as("bytes the pass left in the block cache").isLessThan(64 * 1024);

      // The same pass through the cache fills it with the family's blocks: ~4 MB of values.
      handle.scan(Family.MANIFESTS, new byte[0], new byte[0], (key, value) -> true);
      assertThat(cacheUsage(handle) - before).isGreaterThan(1L << 20);
    }
  }

  @Test
  void aWholeFamilyScanStopsWhenItsVisitorSaysSo() {
    try (RocksDbHandle handle = storeOnDisk()) {
      int[] visited = {0};

      handle.scanWhole(Family.MANIFESTS, (key, value) -> ++visited[0] < 10);

      assertThat(visited[0]).isEqualTo(10);
    }
  }
}
