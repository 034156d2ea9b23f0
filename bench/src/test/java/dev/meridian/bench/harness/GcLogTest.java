package dev.meridian.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {
  @Test
  void peaksComeFromEvacuatingPausesWhileRemarkAndCleanupCountOnlyAsBefore() {
    var log = GcLog.parse(List.of(
        "[0.006s][info][gc] Using G1",
        "[1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->4M(256M) 3.123ms",
        "[2.100s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 130M->61M(256M) 5.001ms",
        "[2.300s][info][gc] GC(2) Pause Remark 190M->180M(256M) 1.2ms",
        "[2.310s][info][gc] GC(2) Pause Cleanup 180M->170M(256M) 0.1ms",
        "[2.400s][info][gc] GC(2) Concurrent Mark Cycle 98.1ms",
        "[3.000s][info][gc] GC(3) Pause Young (Mixed) (G1 Evacuation Pause) 200M->12M(256M) 4.0ms",
        "[4.000s][info][gc] GC(4) Pause Full (System.gc()) 40960K->10240K(262144K) 20.0ms"));

    assertThat(log.collections()).isEqualTo(6);
    assertThat(log.peakBeforeBytes()).isEqualTo(200L << 20);
    assertThat(log.peakAfterBytes()).isEqualTo(61L << 20);
  }

  @Test
  void gibibyteFiguresAreNotNarrowed() {
    var log = GcLog.parse(List.of("[9.0s][info][gc] GC(9) Pause Full (G1 Compaction Pause) 5G->3G(8G) 900.0ms"));

    assertThat(log.peakBeforeBytes()).isEqualTo(5L << 30);
    assertThat(log.peakAfterBytes()).isEqualTo(3L << 30);
  }

  @Test
  void noLogMeansNoCollections() {
    assertThat(GcLog.parse(List.of())).isEqualTo(new GcLog(0, 0, 0));
  }
}
