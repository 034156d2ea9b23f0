package dev.meridian.agent.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
  private static final Map<String, String> SASL_SSL = Map.of(
      "security.protocol", "SASL_SSL",
      "sasl.mechanism", "SCRAM-SHA-512",
      "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"r\" password=\"p\";",
      "ssl.truststore.location", "/etc/meridian/kafka-ca.p12",
      "ssl.truststore.type", "PKCS12");

  @Test
  void operatorPropertiesReachTheProducerTheConsumerAndTheAdminClient() {
    Properties producer = NonBlockingProducer.properties("127.0.0.1:9092", "meridian-events", Duration.ofSeconds(1), SASL_SSL);
    Properties consumer = KafkaEventSubscriber.consumerProperties(
        KafkaEventSubscriber.Settings.of("127.0.0.1:9092", KafkaTopics.EVENTS, "meridian-eastus").withClientProperties(SASL_SSL));
    Properties admin = KafkaTopics.adminProperties("127.0.0.1:9092", SASL_SSL);

    for (Properties config : new Properties[] {producer, consumer, admin}) {
      SASL_SSL.forEach((key, value) -> assertThat(config.getProperty(key)).as(key).isEqualTo(value));
      assertThat(config.getProperty("bootstrap.servers")).isEqualTo("127.0.0.1:9092");
    }
    assertThat(producer.getProperty("acks")).isEqualTo("all");
    assertThat(producer.getProperty("enable.idempotence")).isEqualTo("true");
    assertThat(consumer.getProperty("enable.auto.commit")).isEqualTo("false");
  }

  @Test
  void replayPollsUpToTwoThousandRecordsUnlessTheOperatorSaysOtherwise() {
    Properties defaults = KafkaEventSubscriber.consumerProperties(
        KafkaEventSubscriber.Settings.of("127.0.0.1:9092", KafkaTopics.EVENTS, "meridian-eastus"));
    Properties chosen = KafkaEventSubscriber.consumerProperties(
        KafkaEventSubscriber.Settings.of("127.0.0.1:9092", KafkaTopics.EVENTS, "meridian-eastus")
            .withClientProperties(Map.of("max.poll.records", "100")));

    assertThat(defaults.getProperty("max.poll.records")).isEqualTo("2000");
    assertThat(chosen.getProperty("max.poll.records")).isEqualTo("100");
  }

  @Test
  void withoutPropertiesTheClientsKeepMeridiansOwnSettingsOnly() {
    Properties producer = NonBlockingProducer.properties("127.0.0.1:9092", "meridian-events", Duration.ofSeconds(1), Map.of());
    assertThat(producer.stringPropertyNames()).noneMatch(key -> key.startsWith("security.") || key.startsWith("sasl."));
  }

  @Test
  void settingsReplayAndTheRelayRelyOnCannotBeOverridden() {
    assertThatThrownBy(() -> KafkaClientProperties.validate(Map.of("acks", "1", "enable.auto.commit", "true", "ssl.keystore.type", "PKCS12")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks").hasMessageContaining("enable.auto.commit").hasMessageNotContaining("ssl.keystore.type");
    assertThatThrownBy(() -> KafkaEventSubscriber.Settings.of("b", "t", "g").withClientProperties(Map.of("group.id", "other")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRealProducerIsBuiltWithThem() {
    // A truststore that does not exist fails the producer's construction: the property reached Kafka's client.
    assertThatThrownBy(() -> KafkaEventPublisher.create("127.0.0.1:1",
        Map.of("security.protocol", "SSL", "ssl.truststore.location", "/nonexistent/meridian-truststore.p12")).close())
        .hasStackTraceContaining("meridian-truststore.p12");
  }
}
