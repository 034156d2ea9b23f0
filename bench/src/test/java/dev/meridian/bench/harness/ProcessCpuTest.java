package dev.meridian.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  private static final String STAT =
      "4242 (docker-registry) S 1 4242 4242 0 -1 4194560 1234 0 0 0 731 269 40 12 20 0 9 0 5000 0 0";

  @Test
  void userSystemAndChildrenTimesAreReadFromTheirFields() {
    assertThat(ProcessCpu.field(STAT, ProcessCpu.UTIME)).isEqualTo(731);
    assertThat(ProcessCpu.field(STAT, ProcessCpu.STIME)).isEqualTo(269);
    assertThat(ProcessCpu.field(STAT, ProcessCpu.CUTIME)).isEqualTo(40);
    assertThat(ProcessCpu.field(STAT, ProcessCpu.CSTIME)).isEqualTo(12);
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String stat = "77 (java (main) x) R 1 77 77 0 -1 4194560 10 0 0 0 5 7 0 0 20 0 30 0 100 0 0";
    assertThat(ProcessCpu.field(stat, ProcessCpu.UTIME)).isEqualTo(5);
    assertThat(ProcessCpu.field(stat, ProcessCpu.STIME)).isEqualTo(7);
  }

  @Test
  void aTruncatedLineIsRefusedNotMisread() {
    assertThatThrownBy(() -> ProcessCpu.field("77 (java) R 1 77", ProcessCpu.UTIME))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thisProcessesCpuCountsWhatItComputes() {
    long pid = ProcessHandle.current().pid();
    double before = ProcessCpu.seconds(pid);
    long sum = 0;
    for (long i = 0; i < 400_000_000L; i++) sum += i ^ (sum >>> 3);
    assertThat(sum).isNotZero();
    assertThat(ProcessCpu.seconds(pid)).isGreaterThan(before);
  }

  @Test
  void aCommandsCpuIsCountedOnceItHasEnded() {
    double before = ProcessCpu.commandsSeconds();
    // About a tenth of a CPU-second of hashing in a child: several 10 ms ticks.
    Command.run(List.of("sh", "-c", "head -c 200000000 /dev/zero | sha256sum"));
    assertThat(ProcessCpu.commandsSeconds()).isGreaterThan(before);
  }
}
