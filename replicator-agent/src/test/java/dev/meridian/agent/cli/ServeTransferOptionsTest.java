package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.transfer.TransferConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeTransferOptionsTest {
  @TempDir Path dir;

  private TransferConfig parse(String... options) {
    ServeCommand serve = new ServeCommand();
    String[] args = new String[options.length + 4];
    System.arraycopy(new String[] {"--region", "eastus", "--data-dir", dir.toString()}, 0, args, 0, 4);
    System.arraycopy(options, 0, args, 4, options.length);
    new CommandLine(serve).parseArgs(args);
    return serve.transfers(TransferConfig.defaults());
  }

  @Test
  void copiedBlobsAreWrittenPastThePageCacheUnlessTheOperatorTurnsItOff() {
    assertThat(parse().directWrites()).isTrue();
    assertThat(parse("--transfer-direct-writes", "false").directWrites()).isFalse();
    assertThat(parse("--transfer-direct-writes", "true").directWrites()).isTrue();
  }

  @Test
  void aValueOtherThanTrueOrFalseIsRefused() {
    assertThatThrownBy(() -> parse("--transfer-direct-writes", "maybe")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--transfer-direct-writes");
  }
}
