package dev.meridian.agent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.log.EventLogException;
import dev.meridian.agent.log.KafkaEventPublisher;
import dev.meridian.agent.log.KafkaEventSubscriber;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dataDir;

  @Test
  void aNewDataDirectoryIsFormattedAndTheBrokerServesReadyTopics() throws Exception {
    try (var broker = EmbeddedKafkaBroker.start(FreePorts.brokerSettings(dataDir));
        var topics = new KafkaTopics(broker.bootstrapServers());
        var admin = admin(broker)) {
      assertThat(broker.formattedOnStart()).isTrue();
      assertThat(dataDir.resolve("meta.properties")).exists();
      assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(broker.clusterId());

      topics.ensureEventTopics(3, (short) 1, TIMEOUT);
      topics.ensureEventTopics(5, (short) 1, TIMEOUT); // existing topics are left as they are

      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .contains(KafkaTopics.EVENTS, KafkaTopics.DEAD_LETTERS);
      assertThat(topics.partitionCount(KafkaTopics.EVENTS, TIMEOUT)).isEqualTo(3);
      assertThat(topics.partitionCount(KafkaTopics.DEAD_LETTERS, TIMEOUT)).isEqualTo(3);
    }
  }

  @Test
  void topicsAreNeverCreatedByAClientThatAsksForThem() {
    try (var broker = EmbeddedKafkaBroker.start(FreePorts.brokerSettings(dataDir))) {
      var settings = new KafkaEventSubscriber.Settings(
          broker.bootstrapServers(), "no-such-topic", "eastus", Duration.ofMillis(200), Duration.ofMillis(200));
      assertThatThrownBy(() -> KafkaEventSubscriber.start(settings, Map.of(), batch -> {}))
          .isInstanceOf(EventLogException.class);
    }
  }

  @Test
  void aRestartOnTheSameDataDirectoryKeepsTheClusterAndItsEvents() throws Exception {
    var settings = FreePorts.brokerSettings(dataDir);
    List<ReplicationEvent> published = new ArrayList<>();
    String clusterId;
    try (var broker = EmbeddedKafkaBroker.start(settings);
        var topics = new KafkaTopics(broker.bootstrapServers());
        var publisher = KafkaEventPublisher.create(broker.bootstrapServers())) {
      clusterId = broker.clusterId();
      topics.ensureEventTopics(2, (short) 1, TIMEOUT);
      var sends = new ArrayList<CompletableFuture<?>>();
      for (int i = 0; i < 100; i++) {
        var event = blobPut(i);
        published.add(event);
        sends.add(publisher.send(event));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
    String metaBefore = Files.readString(dataDir.resolve("meta.properties"));

    try (var broker = EmbeddedKafkaBroker.start(settings)) {
      assertThat(broker.formattedOnStart()).isFalse();
      assertThat(broker.clusterId()).isEqualTo(clusterId);
      assertThat(Files.readString(dataDir.resolve("meta.properties"))).isEqualTo(metaBefore);

      var received = new CopyOnWriteArrayList<ReplicationEvent>();
      var codec = new EventCodec();
      try (var subscriber = KafkaEventSubscriber.start(
          KafkaEventSubscriber.Settings.of(broker.bootstrapServers(), KafkaTopics.EVENTS, "westus"), Map.of(),
          batch -> batch.forEach(r -> received.add(codec.decode(r.value()))))) {
        await().atMost(TIMEOUT).until(() -> received.size() >= published.size());
        assertThat(subscriber.isRunning()).isTrue();
      }
      assertThat(received).containsExactlyInAnyOrderElementsOf(published);
    }
  }

  static BlobPut blobPut(int i) {
    String hex = String.format("%064x", i);
    return new BlobPut("evt-" + i, new RegionId("eastus"), new HlcTimestamp(1_000 + i, 0),
        new RepositoryName("repo-" + (i % 7)), Digest.parse("sha256:" + hex), i);
  }

  private static Admin admin(EmbeddedKafkaBroker broker) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return Admin.create(props);
  }

}
