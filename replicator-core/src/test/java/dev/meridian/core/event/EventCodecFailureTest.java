package dev.meridian.core.event;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.event.EventDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecFailureTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String TAG_PUT = "{\"schema\":1,\"type\":\"tag.put\",\"id\":\"e-1\",\"origin\":\"eastus\","
      + "\"hlc\":\"5.1\",\"repository\":\"team-a/app\",\"tag\":\"v1\",\"digest\":\"" + A + "\"}";

  private final EventCodec codec = new EventCodec();

  @Test
  void theUnmodifiedSampleDecodes() {
    codec.decode(bytes(TAG_PUT)); // the sample every failure below mutates in one place
  }

  @Test
  void anUnknownTypeIsRefusedNamingTheType() {
    refused(TAG_PUT.replace("tag.put", "tag.rename"), Reason.UNKNOWN_TYPE).hasMessageContaining("'tag.rename'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"schema\":2", "\"schema\":0", "\"schema\":\"1\"", "\"schema\":1.5", "\"schema\":null"})
  void anUnknownSchemaIsRefused(String schema) {
    refused(TAG_PUT.replace("\"schema\":1", schema), Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void aMissingSchemaIsRefused() {
    refused(TAG_PUT.replace("\"schema\":1,", ""), Reason.UNKNOWN_SCHEMA).hasMessageContaining("'schema'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"type", "id", "origin", "hlc", "repository", "tag", "digest"})
  void aMissingFieldIsRefusedNamingTheField(String field) {
    String json = TAG_PUT.replaceFirst("\"" + field + "\":\"[^\"]*\",?", "").replace(",}", "}");
    refused(json, Reason.MISSING_FIELD).hasMessageContaining("'" + field + "'");
  }

  @Test
  void aNullRequiredFieldCountsAsMissing() {
    refused(TAG_PUT.replace("\"tag\":\"v1\"", "\"tag\":null"), Reason.MISSING_FIELD).hasMessageContaining("'tag'");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"digest\":\"sha256:abc\"", "\"digest\":\"md5:" + "a" + "\"", "\"tag\":\"-bad\"", "\"tag\":7",
      "\"origin\":\"East\"", "\"hlc\":\"x.1\"", "\"hlc\":\"-1.0\"", "\"repository\":\"UPPER\"",
      "\"repository\":\"a/../b\"", "\"id\":\"has space\"", "\"id\":\"\"", "\"type\":3"})
  void anInvalidFieldIsRefusedNamingTheField(String replacement) {
    String field = replacement.substring(1, replacement.indexOf('"', 1));
    String json = TAG_PUT.replaceFirst("\"" + field + "\":\"[^\"]*\"", replacement);
    refused(json, Reason.INVALID_FIELD).hasMessageContaining(field);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5", "\"12\"", "99999999999999999999999"})
  void anInvalidBlobSizeIsRefused(String size) {
    String json = "{\"schema\":1,\"type\":\"blob.put\",\"id\":\"e\",\"origin\":\"r\",\"hlc\":\"1\","
        + "\"repository\":\"a\",\"digest\":\"" + A + "\",\"size\":" + size + "}";
    refused(json, Reason.INVALID_FIELD).hasMessageContaining("size");
  }

  @Test
  void anInvalidReferenceIsRefusedWithItsPath() {
    String json = "{\"schema\":1,\"type\":\"manifest.put\",\"id\":\"e\",\"origin\":\"r\",\"hlc\":\"1\","
        + "\"repository\":\"a\",\"digest\":\"" + A + "\",\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"size\":3,\"references\":[{\"mediaType\":\"a/b\",\"digest\":\"" + A + "\",\"size\":1},"
        + "{\"mediaType\":\"a/b\",\"digest\":\"" + A + "\",\"size\":-4}]}";
    refused(json, Reason.INVALID_FIELD).hasMessageContaining("references[1]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "not json", "[]", "\"text\"", "42", "null", "{", "{\"schema\":1}{}",
      "{\"schema\":1,\"schema\":1,\"type\":\"tag.put\"}"})
  void bytesThatAreNotOneJsonObjectAreRefusedAsMalformed(String text) {
    refused(text, Reason.MALFORMED);
  }

  @Test
  void aNullValueIsRefusedAsMalformed() {
    assertThatThrownBy(() -> codec.decode(null))
        .isInstanceOfSatisfying(EventDecodeException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void invalidUtf8IsRefusedAsMalformed() {
    byte[] json = bytes("{\"schema\":1,\"type\":\"tag.put\",\"id\":\"XX\"}");
    json[json.length - 4] = (byte) 0xC3; // a UTF-8 lead byte followed by an ASCII byte
    assertThatThrownBy(() -> codec.decode(json))
        .isInstanceOfSatisfying(EventDecodeException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refused(String json, Reason reason) {
    return assertThatThrownBy(() -> codec.decode(bytes(json)))
        .isInstanceOfSatisfying(EventDecodeException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
