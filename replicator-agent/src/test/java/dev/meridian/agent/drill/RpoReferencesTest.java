package dev.meridian.agent.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.admin.UnshippedWrite;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpoReferencesTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static UnshippedWrite write(String type, String tag, String digest, String hlc) {
    return new UnshippedWrite(type, "team/app", Optional.ofNullable(tag), Optional.ofNullable(digest), hlc);
  }

  @Test
  void aPushByTagIsOneReferenceAndBlobUploadsNameNoImage() {
    List<String> refs = RpoReferences.of(List.of(write("blob.put", null, D2, "1.0"), write("manifest.put", null, D1, "1.1"),
        write("tag.put", "v1", D1, "1.2")));
    assertThat(refs).containsExactly("team/app:v1");
  }

  @Test
  void manifestsByDigestAndDeletesAreReferencesOfTheirOwn() {
    List<String> refs = RpoReferences.of(List.of(write("manifest.put", null, D1, "1.0"), write("tag.delete", "old", null, "1.1"),
        write("manifest.delete", null, D2, "1.2"), write("blob.unlink", null, D2, "1.3")));
    assertThat(refs).containsExactly("team/app@" + D1, "team/app:old", "team/app@" + D2);
  }

  @Test
  void writesSinceASnapshotAreThoseItDidNotHold() {
    var early = write("tag.put", "v1", D1, "1.0");
    var late = write("tag.put", "v2", D2, "2.0");
    assertThat(RpoReferences.since(List.of(early), List.of(early, late))).containsExactly(late);
    assertThat(RpoReferences.since(List.of(early, late), List.of(late))).isEmpty();
  }
}
