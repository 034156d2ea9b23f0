package dev.meridian.agent.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private final WebhookSignature signature = new WebhookSignature("0123456789abcdef-secret".getBytes(UTF_8));

  @Test
  void signatureIsTheHexHmacSha256OfTheBodyWithTheSecret() {
    // The HMAC-SHA256 test vector of RFC 4231 style examples (key "key", the quick brown fox).
    WebhookSignature known = new WebhookSignature("key".getBytes(UTF_8));
    assertThat(known.sign("The quick brown fox jumps over the lazy dog".getBytes(UTF_8)))
        .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }

  @Test
  void aReceiverVerifiesTheBodyItGotAndRejectsAnyChange() {
    byte[] body = "{\"events\":[{\"id\":\"1\"}]}".getBytes(UTF_8);
    String header = signature.sign(body);

    assertThat(signature.verify(body, header)).isTrue();
    assertThat(signature.verify("{\"events\":[{\"id\":\"2\"}]}".getBytes(UTF_8), header)).isFalse();
    assertThat(new WebhookSignature("another-secret-of-16".getBytes(UTF_8)).verify(body, header)).isFalse();
    assertThat(signature.verify(body, header.substring("sha256=".length()))).isFalse();
    assertThat(signature.verify(body, null)).isFalse();
  }

  @Test
  void anEmptySecretIsRefused() {
    assertThatThrownBy(() -> new WebhookSignature(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }
}
