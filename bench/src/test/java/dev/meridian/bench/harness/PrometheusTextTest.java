package dev.meridian.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String SCRAPE = """
      # HELP jvm_memory_used_bytes The amount of used memory
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space",region="eastus"} 1.2582912E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen",region="eastus"} 4194304.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace",region="eastus"} 9.9E7
      jvm_buffer_memory_used_bytes{id="direct",region="eastus"} 1048576.0
      jvm_buffer_memory_used_bytes{id="mapped",region="eastus"} 5.0E9
      # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
      # TYPE jvm_compilation_time_ms_total counter
      jvm_compilation_time_ms_total{compiler="HotSpot 64-Bit Tiered Compilers",region="eastus"} 41234.0
      """;

  @Test
  void heapIsTheSumOfItsPoolsAndLeavesOtherAreasOut() {
    assertThat(PrometheusText.sum(SCRAPE, "jvm_memory_used_bytes{", "area=\"heap\"")).isEqualTo(16L << 20);
  }

  @Test
  void directBuffersLeaveMappedOnesOut() {
    assertThat(PrometheusText.sum(SCRAPE, "jvm_buffer_memory_used_bytes{", "id=\"direct\"")).isEqualTo(1L << 20);
  }

  @Test
  void compilationTimeIsTheJitsCounter() {
    assertThat(PrometheusText.compilationMillis(SCRAPE)).isEqualTo(41_234L);
  }
}
