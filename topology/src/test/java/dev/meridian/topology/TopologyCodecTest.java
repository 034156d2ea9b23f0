package dev.meridian.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopologyCodecTest {
  private static final Replica WEST = new Replica(
      new Region(new RegionId("westus"), URI.create("http://127.0.0.1:5002"), false, RegionMode.READ_ONLY), false, 3);

  @Test
  void aRegionRoundTripsUnderItsOwnKey() {
    TopologyCodec.Encoded encoded = TopologyCodec.encode(new TopologyChange.RegionPut(WEST));
    assertThat(encoded.key()).isEqualTo("region/westus");
    assertThat(TopologyCodec.decode(encoded.key(), encoded.value().orElseThrow())).isEqualTo(new TopologyChange.RegionPut(WEST));
  }

  @Test
  void aRegionsRepositoryFilterTravelsWithIt() {
    Replica eu = new Replica(Region.of("eastus", "http://127.0.0.1:5001")
        .withRepositories(RepositoryFilter.of(java.util.List.of("team/**", "base/*"), java.util.List.of("eu-only/**"))), true, 1);
    TopologyCodec.Encoded encoded = TopologyCodec.encode(new TopologyChange.RegionPut(eu));
    var decoded = (TopologyChange.RegionPut) TopologyCodec.decode(encoded.key(), encoded.value().orElseThrow());
    assertThat(decoded.replica()).isEqualTo(eu);
    assertThat(decoded.replica().region().repositories().admits("eu-only/app")).isFalse();
    assertThat(decoded.replica().region().repositories().admits("team/a/b")).isTrue();
  }

  @Test
  void aBadGlobInARecordIsRefusedWithTheReason() {
    String json = "{\"id\":\"eastus\",\"url\":\"http://a:1\",\"repositories\":{\"exclude\":[\"Bad//\"]}}";
    assertThatThrownBy(() -> TopologyCodec.decode("region/eastus", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TopologyException.class).hasMessageContaining("repositories");
  }

  @Test
  void theFleetsTransferCostsTravelWithItsSettings() {
    var costs = java.util.List.of(new TransferCost(new RegionId("eastus"), new RegionId("westeu"), 10),
        new TransferCost(new RegionId("westeu"), new RegionId("eastus"), 3));
    var change = new TopologyChange.SettingsPut(new FleetSettings(8, (short) 1, costs));
    TopologyCodec.Encoded encoded = TopologyCodec.encode(change);
    assertThat(TopologyCodec.decode("fleet", encoded.value().orElseThrow())).isEqualTo(change);
  }

  @Test
  void aDeletionIsATombstone() {
    TopologyCodec.Encoded encoded = TopologyCodec.encode(new TopologyChange.RegionDeleted(new RegionId("westus")));
    assertThat(encoded.value()).isEmpty();
    assertThat(TopologyCodec.decode("region/westus", null)).isEqualTo(new TopologyChange.RegionDeleted(new RegionId("westus")));
  }

  @Test
  void theFleetSettingsRoundTrip() {
    var change = new TopologyChange.SettingsPut(new FleetSettings(12, (short) 3));
    TopologyCodec.Encoded encoded = TopologyCodec.encode(change);
    assertThat(encoded.key()).isEqualTo("fleet");
    assertThat(TopologyCodec.decode("fleet", encoded.value().orElseThrow())).isEqualTo(change);
  }

  @Test
  void unknownFieldsAreIgnoredAndMissingOnesTakeTheirDefaults() {
    String json = "{\"schema\":1,\"id\":\"eastus\",\"url\":\"http://127.0.0.1:5001\",\"repositories\":[\"team/*\"]}";
    var decoded = (TopologyChange.RegionPut) TopologyCodec.decode("region/eastus", json.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded.replica()).isEqualTo(new Replica(Region.of("eastus", "http://127.0.0.1:5001"), true, 0));
  }

  @Test
  void recordsThatDoNotMakeSenseAreRefusedWithTheReason() {
    assertThatThrownBy(() -> TopologyCodec.decode("region/eastus", "{\"id\":\"westus\",\"url\":\"http://a:1\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TopologyException.class).hasMessageContaining("does not match the key");
    assertThatThrownBy(() -> TopologyCodec.decode("region/eastus", "{\"id\":\"eastus\",\"url\":\"ftp://a:1\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TopologyException.class).hasMessageContaining("must be http:// or https://");
    assertThatThrownBy(() -> TopologyCodec.decode("region/eastus", "not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TopologyException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> TopologyCodec.decode("regions", "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TopologyException.class).hasMessageContaining("unknown key");
    assertThatThrownBy(() -> TopologyCodec.decode("region/Bad_Id", null)).isInstanceOf(TopologyException.class);
  }

  @Test
  void urlsAreCheckedAsInAFleetFile() {
    assertThat(TopologyCodec.parseUrl("http://127.0.0.1:5004/")).isEqualTo(URI.create("http://127.0.0.1:5004"));
    assertThatThrownBy(() -> TopologyCodec.parseUrl("http://127.0.0.1")).hasMessageContaining("needs a host and a port");
  }
}
