package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.notify.NotificationConfig;
import dev.meridian.agent.notify.NotificationType;
import dev.meridian.agent.notify.WebhookSecret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeWebhookOptionsTest {
  @TempDir Path dir;

  private NotificationConfig parse(String... options) {
    ServeCommand serve = new ServeCommand();
    String[] args = new String[options.length + 4];
    args[0] = "--region";
    args[1] = "eastus";
    args[2] = "--data-dir";
    args[3] = dir.toString();
    System.arraycopy(options, 0, args, 4, options.length);
    new CommandLine(serve).parseArgs(args);
    return serve.notifications();
  }

  @Test
  void withoutOptionsThereIsNoWebhookAndTheTopicIsOn() {
    NotificationConfig settings = parse();
    assertThat(settings.webhook()).isEmpty();
    assertThat(settings.kafka()).isTrue();
    assertThat(settings.backoff().max()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aWebhookTakesItsUrlSecretAndEvents() throws Exception {
    Path secret = Files.writeString(dir.resolve("s"), "0123456789abcdef0123\n");
    NotificationConfig settings = parse("--webhook", "https://hooks.example/meridian", "--webhook-secret-file", secret.toString(),
        "--webhook-events", "push,replicated", "--kafka-notifications", "false");
    assertThat(settings.webhook()).hasValueSatisfying(hook -> {
      assertThat(hook.url()).isEqualTo(URI.create("https://hooks.example/meridian"));
      assertThat(hook.secretFile()).contains(secret);
      assertThat(hook.events()).isEqualTo(EnumSet.of(NotificationType.PUSH, NotificationType.REPLICATED));
    });
    assertThat(settings.kafka()).isFalse();
    assertThat(new String(WebhookSecret.load(hook(settings).secretFile(), dir))).isEqualTo("0123456789abcdef0123");
  }

  @Test
  void withoutASecretFileOneIsMadeInTheDataDirectoryAndKept() throws Exception {
    byte[] first = WebhookSecret.load(java.util.Optional.empty(), dir);
    assertThat(first).hasSize(64);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(WebhookSecret.FILE))))
        .isEqualTo("rw-------");
    assertThat(WebhookSecret.load(java.util.Optional.empty(), dir)).isEqualTo(first);
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheProblem() throws Exception {
    assertThatThrownBy(() -> parse("--webhook", "ftp://x/y")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> parse("--webhook", "http://127.0.0.1:1/h", "--webhook-events", "push,pull"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("pull");
    assertThatThrownBy(() -> parse("--webhook-secret-file", "x")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--webhook");
    Path tooShort = Files.writeString(dir.resolve("short"), "abc");
    assertThatThrownBy(() -> WebhookSecret.load(java.util.Optional.of(tooShort), dir)).hasMessageContaining("too short");
  }

  private static NotificationConfig.Webhook hook(NotificationConfig settings) {
    return settings.webhook().orElseThrow();
  }
}
