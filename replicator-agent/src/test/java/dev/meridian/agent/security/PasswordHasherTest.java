package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(4);

  @Test
  void aHashIsSaltedAndVerifiesOnlyItsPassword() {
    String first = hasher.hash("s3cret");
    String second = hasher.hash("s3cret");
    assertThat(first).startsWith("$2a$04$").isNotEqualTo(second).doesNotContain("s3cret");
    assertThat(hasher.verify("s3cret", first)).isTrue();
    assertThat(hasher.verify("s3cret!", first)).isFalse();
    assertThat(hasher.verify("s3cret", "not a hash")).isFalse();
  }

  @Test
  void passwordsLongerThanBcryptsLimitStillCountEveryCharacter() {
    String base = "x".repeat(100);
    String hash = hasher.hash(base + "a");
    assertThat(hasher.verify(base + "a", hash)).isTrue();
    assertThat(hasher.verify(base + "b", hash)).isFalse();
  }

  @Test
  void aFreshDataDirGetsARandomAdminPasswordInAnOwnerOnlyFile(@TempDir Path dir) throws Exception {
    AdminPassword first = AdminPassword.resolve(dir, Map.of());
    assertThat(first.generated()).isTrue();
    Path file = dir.resolve(AdminPassword.FILE_NAME);
    assertThat(Files.readString(file).strip()).isEqualTo(first.value());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    AdminPassword again = AdminPassword.resolve(dir, Map.of());
    assertThat(again.generated()).isFalse();
    assertThat(again.value()).isEqualTo(first.value());
    assertThat(AdminPassword.resolve(dir, Map.of(AdminPassword.ENV, "from-env")).value()).isEqualTo("from-env");
  }

  @Test
  void theFleetKeyComesFromTheEnvironmentElseTheDataDir(@TempDir Path dir) throws Exception {
    FleetKey made = FleetKey.resolve(dir, Map.of());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(FleetKey.FILE_NAME)))).isEqualTo("rw-------");
    assertThat(FleetKey.resolve(dir, Map.of()).credential()).isEqualTo(made.credential());
    FleetKey other = FleetKey.generate();
    assertThat(FleetKey.resolve(dir, Map.of(FleetKey.ENV, other.hex())).credential()).isEqualTo(other.credential());
    assertThat(made.credential()).doesNotContain(made.hex());
  }
}
