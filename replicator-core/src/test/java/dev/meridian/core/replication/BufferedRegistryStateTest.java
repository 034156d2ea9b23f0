package dev.meridian.core.replication;

import static dev.meridian.core.state.StateFixtures.EAST;
import static dev.meridian.core.state.StateFixtures.WEST;
import static dev.meridian.core.state.StateFixtures.batch;
import static dev.meridian.core.state.StateFixtures.digest;
import static dev.meridian.core.state.StateFixtures.link;
import static dev.meridian.core.state.StateFixtures.repo;
import static dev.meridian.core.state.StateFixtures.stamp;
import static dev.meridian.core.state.StateFixtures.tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ForwardingRegistryState;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.rocksdb.RocksDbRegistryState;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BufferedRegistryStateTest {
  private static final Tag V1 = new Tag("v1");

  @TempDir Path dir;
  private RocksDbRegistryState store;
  private int storeReads;
  private RegistryState counted;

  @BeforeEach
  void open() {
    store = RocksDbRegistryState.open(dir.resolve("state"));
    counted = new ForwardingRegistryState(store) {
      @Override
      public Optional<TagRecord> findTag(RepositoryName repository, Tag tag) {
        storeReads++;
        return delegate.findTag(repository, tag);
      }

      @Override
      public Optional<BlobLinkRecord> findBlobLink(RepositoryName repository, Digest digest) {
        storeReads++;
        return delegate.findBlobLink(repository, digest);
      }
    };
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRegisterIsReadFromTheStoreOncePerPollThoughPlanningAndMergingBothAsk() {
    store.apply(batch(tag("app", "v1", digest(1), stamp(1000, EAST))));
    BufferedRegistryState view = new BufferedRegistryState(counted);

    assertThat(view.findTag(repo("app"), V1).orElseThrow().digest()).contains(digest(1));
    view.apply(batch(tag("app", "v1", digest(2), stamp(999, WEST)))); // loses: merging asks about the register again
    assertThat(view.findTag(repo("app"), V1).orElseThrow().digest()).contains(digest(1));
    assertThat(view.findBlobLink(repo("app"), digest(7))).isEmpty();
    view.apply(batch(link("app", digest(7), true, stamp(1001, WEST)))); // wins over nothing: absence was remembered too
    assertThat(view.findBlobLink(repo("app"), digest(7))).hasValueSatisfying(l -> assertThat(l.linked()).isTrue());

    assertThat(storeReads).isEqualTo(2);
  }

  @Test
  void afterADrainTheStoreIsAskedAgainAndWhatOthersCommittedIsSeen() {
    BufferedRegistryState view = new BufferedRegistryState(counted);
    assertThat(view.findTag(repo("app"), V1)).isEmpty();
    view.drain(false);

    store.apply(batch(tag("app", "v1", digest(3), stamp(1000, EAST))));

    assertThat(view.findTag(repo("app"), V1).orElseThrow().digest()).contains(digest(3));
    assertThat(storeReads).isEqualTo(2);
  }
}
