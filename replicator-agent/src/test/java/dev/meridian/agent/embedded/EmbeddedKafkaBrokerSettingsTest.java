package dev.meridian.agent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.embedded.EmbeddedKafkaBroker.AdvertisedListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerSettingsTest {
  @Test
  void anExtraListenerListensOnItsPortAndAdvertisesAnother() {
    var settings = new EmbeddedKafkaBroker.Settings(Path.of("k"), 9092, 9093, false,
        List.of(new AdvertisedListener(9100, 9200), AdvertisedListener.parse("9101:9201")));

    Properties p = EmbeddedKafkaBroker.brokerProperties(settings);

    assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,"
        + "EXTRA1://127.0.0.1:9100,EXTRA2://127.0.0.1:9101");
    assertThat(p.getProperty("advertised.listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9092,EXTRA1://127.0.0.1:9200,EXTRA2://127.0.0.1:9201");
    assertThat(p.getProperty("listener.security.protocol.map"))
        .isEqualTo("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTRA1:PLAINTEXT,EXTRA2:PLAINTEXT");
  }

  @Test
  void withoutExtraListenersOnlyTheClientPortIsAdvertised() {
    Properties p = EmbeddedKafkaBroker.brokerProperties(new EmbeddedKafkaBroker.Settings(Path.of("k"), 9092, 9093, false));

    assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
  }

  @Test
  void aListenerOnTheClientPortIsRejected() {
    assertThatThrownBy(() -> new EmbeddedKafkaBroker.Settings(Path.of("k"), 9092, 9093, false,
        List.of(new AdvertisedListener(9092, 9200)))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AdvertisedListener.parse("9100")).isInstanceOf(IllegalArgumentException.class);
  }
}
