package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetKeyTest {
  @TempDir Path dir;

  @Test
  void aMissingKeyFileIsCreatedWith32RandomBytesInHexReadableOnlyByItsOwner() throws Exception {
    FleetKey key = FleetKey.resolve(dir, Map.of());
    Path file = dir.resolve(FleetKey.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    byte[] stored = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.UTF_8).trim());
    assertThat(stored).hasSize(32);
    assertThat(key.hex()).isEqualTo(HexFormat.of().formatHex(stored));
  }

  @Test
  void theSameDataDirectoryGivesTheSameKeyAgain() {
    assertThat(FleetKey.resolve(dir, Map.of()).hex()).isEqualTo(FleetKey.resolve(dir, Map.of()).hex());
  }

  @Test
  void twoDataDirectoriesGetDifferentKeys() {
    assertThat(FleetKey.resolve(dir.resolve("a"), Map.of()).hex()).isNotEqualTo(FleetKey.resolve(dir.resolve("b"), Map.of()).hex());
  }

  @Test
  void theEnvironmentVariableWinsOverTheFile() {
    FleetKey.resolve(dir, Map.of());
    FleetKey shared = FleetKey.generate();
    assertThat(FleetKey.resolve(dir, Map.of(FleetKey.ENV, " " + shared.hex() + "\n")).hex()).isEqualTo(shared.hex());
  }

  @Test
  void aTooShortOrNonHexKeyIsRefused() {
    assertThatThrownBy(() -> FleetKey.resolve(dir, Map.of(FleetKey.ENV, "abcd"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hex digits");
    assertThatThrownBy(() -> FleetKey.resolve(dir, Map.of(FleetKey.ENV, "not-a-hex-key-of-the-fleet-at-all")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writeIfMissingKeepsAKeyAlreadyThere() {
    FleetKey first = FleetKey.resolve(dir, Map.of());
    FleetKey.generate().writeIfMissing(dir.resolve(FleetKey.FILE_NAME));
    assertThat(FleetKey.resolve(dir, Map.of()).hex()).isEqualTo(first.hex());
  }

  @Test
  void eachUseGetsItsOwnDerivedKeyAndTheSameKeyDerivesTheSameInEveryRegion() {
    FleetKey key = FleetKey.generate();
    FleetKey copy = FleetKey.ofHex(key.hex());
    assertThat(key.eventSigningKey()).isEqualTo(copy.eventSigningKey());
    assertThat(key.eventSigningKey()).isNotEqualTo(key.tokenSigningKey());
    assertThat(key.credential()).isNotEqualTo(HexFormat.of().formatHex(key.eventSigningKey()));
    assertThat(FleetKey.generate().eventSigningKey()).isNotEqualTo(key.eventSigningKey());
  }

  @Test
  void eventsSignedWithTheDerivedKeyVerifyWithTheSignerAnyToolDerivesFromTheSameSecret() {
    FleetKey key = FleetKey.generate();
    byte[] value = "{}".getBytes(StandardCharsets.UTF_8);
    String signature = new dev.meridian.core.event.EventSigner(key.eventSigningKey()).sign("team/app", value);
    var fromSecret = dev.meridian.core.event.EventSigner.fromFleetSecret(HexFormat.of().parseHex(key.hex()));
    assertThat(fromSecret.sign("team/app", value)).isEqualTo(signature);
    assertThat(dev.meridian.core.event.EventSigner.fromFleetSecret(FleetKey.generate().eventSigningKey()).sign("team/app", value))
        .isNotEqualTo(signature);
  }

  @Test
  void itsTextNeverShowsTheSecret() {
    FleetKey key = FleetKey.generate();
    assertThat(key.toString()).doesNotContain(key.hex());
  }
}
