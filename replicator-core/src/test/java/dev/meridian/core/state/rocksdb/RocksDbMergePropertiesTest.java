package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.state.RegisterModel;
import dev.meridian.core.state.RegisterWrites;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.ManifestRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge rule through real RocksDB stores: the same writes delivered to fresh stores in different
 * orders, with duplicates and in different batches, leave every store showing the same answers, and
 * those are the answers the pure rule gives.
 */
class RocksDbMergePropertiesTest {

  @Provide
  Arbitrary<List<Object>> writes() {
    return RegisterWrites.writes();
  }

  @Property(tries = 50)
  void storesFedTheSameWritesInAnyOrderAnswerAlike(@ForAll("writes") List<Object> writes, @ForAll Random random) {
    Map<String, Object> first = replayInFreshStore(RegisterWrites.delivery(writes, random));
    Map<String, Object> second = replayInFreshStore(RegisterWrites.delivery(writes, random));

    RegisterModel model = RegisterModel.of(writes);
    Map<String, Object> expected = new LinkedHashMap<>(model.expected());
    expected.put("referrers index", expectedReferrerIndex(model));
    assertThat(second).isEqualTo(first);
    assertThat(first).isEqualTo(expected);
  }

  /** The queries' answers, plus the raw referrers index, which the queries alone would not show to be stale. */
  private static Map<String, Object> replayInFreshStore(List<StateBatch> batches) {
    Path dir = tempDir();
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      batches.forEach(state::apply);
      Map<String, Object> view = new LinkedHashMap<>(RegisterModel.observed(state));
      List<String> index = new ArrayList<>();
      state.rocks().scan(Family.REFERRERS, new byte[0], new byte[0],
          (key, value) -> index.add(new String(key, StandardCharsets.UTF_8).replace('\0', ' ')));
      view.put("referrers index", index);
      return view;
    } finally {
      deleteRecursively(dir);
    }
  }

  private static List<String> expectedReferrerIndex(RegisterModel model) {
    return model.winners().values().stream()
        .filter(w -> w instanceof ManifestRecord m && m.present() && m.subject().isPresent())
        .map(ManifestRecord.class::cast)
        .map(m -> m.repository() + " " + m.subject().orElseThrow().digest() + " " + m.digest())
        .sorted()
        .toList();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("meridian-state-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
