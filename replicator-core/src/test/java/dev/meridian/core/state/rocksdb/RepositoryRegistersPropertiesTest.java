package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterDigest;
import dev.meridian.core.state.RegisterModel;
import dev.meridian.core.state.RegisterWrites;
import dev.meridian.core.state.RepositoryRegisters;
import dev.meridian.core.state.TagRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A real store lists exactly the winning registers of one repository (none of a repository whose name merely
 * starts with it), and their digest is the one the merge rule alone gives.
 */
class RepositoryRegistersPropertiesTest {

  @Provide
  Arbitrary<List<Object>> writes() {
    return RegisterWrites.writes();
  }

  @Property(tries = 40)
  void aStoreListsEachRepositorysWinningRegistersAndTheirDigest(@ForAll("writes") List<Object> writes, @ForAll Random random) {
    RegisterModel model = RegisterModel.of(writes);
    Path dir = tempDir();
    try (RocksDbRegistryState state = RocksDbRegistryState.open(dir)) {
      RegisterWrites.delivery(writes, random).forEach(state::apply);
      for (String name : RegisterWrites.REPOSITORIES) {
        RepositoryName repository = new RepositoryName(name);
        RepositoryRegisters stored = state.repositoryRegisters(repository);
        Set<Object> expected = new HashSet<>();
        model.winners().values().stream().filter(w -> repositoryOf(w).equals(repository)).forEach(expected::add);
        Set<Object> listed = new HashSet<>();
        listed.addAll(stored.tags());
        listed.addAll(stored.manifests());
        listed.addAll(stored.blobLinks());
        assertThat(listed).as("registers of %s", name).isEqualTo(expected);
        assertThat(stored.size()).isEqualTo(expected.size());
        RepositoryRegisters fromModel = new RepositoryRegisters(repository,
            expected.stream().filter(TagRecord.class::isInstance).map(TagRecord.class::cast).toList(),
            expected.stream().filter(ManifestRecord.class::isInstance).map(ManifestRecord.class::cast).toList(),
            expected.stream().filter(BlobLinkRecord.class::isInstance).map(BlobLinkRecord.class::cast).toList());
        assertThat(RegisterDigest.of(stored)).isEqualTo(RegisterDigest.of(fromModel));
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  private static RepositoryName repositoryOf(Object write) {
    if (write instanceof TagRecord t) return t.repository();
    if (write instanceof ManifestRecord m) return m.repository();
    return ((BlobLinkRecord) write).repository();
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
