package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetKeyTest {
  @TempDir Path dir;

  @Test
  void aMissingKeyFileIsCreatedWith32RandomBytesReadableOnlyByItsOwner() throws Exception {
    FleetKey key = FleetKey.load(dir, Map.of());

    Path file = dir.resolve(FleetKey.FILE);
    assertThat(Files.readAllBytes(file)).hasSize(32).isEqualTo(key.bytes());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void theSameDataDirectoryGivesTheSameKeyAgain() {
    assertThat(FleetKey.load(dir, Map.of()).bytes()).isEqualTo(FleetKey.load(dir, Map.of()).bytes());
  }

  @Test
  void twoDataDirectoriesGetDifferentKeys() {
    assertThat(FleetKey.load(dir.resolve("a"), Map.of()).bytes()).isNotEqualTo(FleetKey.load(dir.resolve("b"), Map.of()).bytes());
  }

  @Test
  void theEnvironmentVariableWinsOverTheFile() {
    FleetKey.load(dir, Map.of());
    FleetKey key = FleetKey.load(dir, Map.of(FleetKey.ENV, " a-shared-secret-of-the-fleet\n"));
    assertThat(key.bytes()).isEqualTo("a-shared-secret-of-the-fleet".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTooShortKeyIsRefused() {
    assertThatThrownBy(() -> FleetKey.load(dir, Map.of(FleetKey.ENV, "short")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
  }

  @Test
  void writeIfMissingKeepsAKeyAlreadyThere() {
    FleetKey first = FleetKey.load(dir, Map.of());
    FleetKey.random().writeIfMissing(dir.resolve(FleetKey.FILE));
    assertThat(FleetKey.load(dir, Map.of()).bytes()).isEqualTo(first.bytes());
  }

  @Test
  void itsTextNeverShowsTheSecret() {
    FleetKey key = FleetKey.of("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    assertThat(key.toString()).doesNotContain("0123");
  }
}
