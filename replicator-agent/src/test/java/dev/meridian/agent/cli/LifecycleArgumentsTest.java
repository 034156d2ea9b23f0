package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The lifecycle commands refuse bad arguments with one clear line and exit 2, before asking any region. */
class LifecycleArgumentsTest {
  private static final String NOWHERE = "http://127.0.0.1:1";

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    var cli = MeridianCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return new Run(cli.execute(args), err.toString());
  }

  @Test
  void aPurgeFilterWithoutTagRegexOrWithABadRegexIsRefused() {
    Run noTag = run("purge", "--registry", NOWHERE, "--filter", "team/.*", "--ago", "30d");
    assertThat(noTag.code()).isEqualTo(2);
    assertThat(noTag.err()).contains("is not REPO_REGEX:TAG_REGEX");
    Run badRegex = run("purge", "--registry", NOWHERE, "--filter", "team/(:v.*", "--ago", "30d");
    assertThat(badRegex.code()).isEqualTo(2);
    assertThat(badRegex.err()).contains("bad regular expression");
  }

  @Test
  void repositoryUpdateTakesExactlyOneTargetAndAtLeastOneFlag() {
    assertThat(run("repository", "update", "--registry", NOWHERE, "--repository", "a", "--image", "a:b",
        "--write-enabled", "false").code()).isEqualTo(2);
    Run noFlag = run("repository", "update", "--registry", NOWHERE, "--repository", "a");
    assertThat(noFlag.code()).isEqualTo(2);
    assertThat(noFlag.err()).contains("give --write-enabled or --delete-enabled");
    assertThat(run("repository", "update", "--registry", NOWHERE, "--repository", "a", "--write-enabled", "maybe").code())
        .isEqualTo(2);
  }

  @Test
  void restoreTakesADigestNotATag() {
    Run byTag = run("restore", "--registry", NOWHERE, "team/app:v1");
    assertThat(byTag.code()).isEqualTo(2);
    assertThat(byTag.err()).contains("restore takes REPO@DIGEST");
  }

  @Test
  void gcOfARegionThatDoesNotAnswerExitsOneNamingIt() {
    Run gc = run("gc", "--registry", NOWHERE, "--timeout", "5s");
    assertThat(gc.code()).isEqualTo(1);
    assertThat(gc.err()).contains("meridian gc: " + NOWHERE + " did not answer");
  }

  @Test
  void durationsTakeDays() {
    assertThat(DurationArgument.parse("30d")).isEqualTo(java.time.Duration.ofDays(30));
  }
}
