package dev.meridian.bench;

import dev.meridian.bench.harness.MeridianJar;
import dev.meridian.bench.harness.Workspace;
import dev.meridian.bench.scenario.ApplyRateScenario;
import dev.meridian.bench.scenario.LagScenario;
import dev.meridian.bench.scenario.MemoryScenario;
import dev.meridian.bench.scenario.PushPullScenario;
import dev.meridian.bench.scenario.ReplicationScenario;
import dev.meridian.bench.scenario.ScaleScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark command: {@code java -jar bench/target/meridian-bench.jar [--quick] [--reps N]
 * [--meridian-jar PATH] [--work-dir DIR] [scenario...]}, or {@code ... jmh [JMH options]} for the
 * microbenchmarks.
 *
 * <p>It runs the scenarios (all by default) against real processes, prints progress on stderr and a
 * Markdown table of medians and ratios on stdout, and writes the table to {@code WORK/results.md}. Missing
 * a target is a result, not an error: the exit code is 0 unless the harness itself failed.
 */
public final class BenchMain {
  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    for (Scenario s : List.of(new PushPullScenario(), new ReplicationScenario(), new LagScenario(), new ApplyRateScenario(),
        new MemoryScenario(), new ScaleScenario())) {
      SCENARIOS.put(s.name(), s);
    }
  }

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    boolean quick = false;
    Integer reps = null;
    String jar = null;
    Path work = Path.of("bench-work");
    var chosen = new ArrayList<Scenario>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--meridian-jar" -> jar = args[++i];
        case "--work-dir" -> work = Path.of(args[++i]);
        case "--lag-seconds" -> System.setProperty(LagScenario.WINDOW_SECONDS_PROPERTY,
            Long.toString(Math.max(1, Long.parseLong(args[++i]))));
        case "-h", "--help" -> {
          usage(System.out);
          return;
        }
        default -> {
          Scenario scenario = SCENARIOS.get(args[i]);
          if (scenario == null) {
            System.err.println("unknown argument or scenario: " + args[i]);
            usage(System.err);
            System.exit(2);
          }
          chosen.add(scenario);
        }
      }
    }
    if (chosen.isEmpty()) chosen.addAll(SCENARIOS.values());
    var context = new BenchContext(MeridianJar.locate(jar), new Workspace(work), quick,
        reps != null ? reps : quick ? 1 : 3, System.err);
    context.log("agent jar %s, work dir %s, %s, %d repetitions", context.jar().jar(), context.workspace().root(),
        quick ? "quick (tiny sizes, numbers mean nothing)" : "full sizes", context.repetitions());
    var results = new ArrayList<Result>();
    for (Scenario scenario : chosen) {
      long start = System.nanoTime();
      results.addAll(scenario.run(context));
      context.log("%s done in %.0f s", scenario.name(), (System.nanoTime() - start) / 1e9);
    }
    var table = new ByteArrayOutputStream();
    ResultTable.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
    String text = table.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    Files.writeString(context.workspace().root().resolve("results.md"), text);
  }

  private static void usage(PrintStream out) {
    out.println("usage: meridian-bench [--quick] [--reps N] [--meridian-jar PATH] [--work-dir DIR] [--lag-seconds N] [scenario...]");
    out.println("       meridian-bench jmh [JMH options]");
    out.println("scenarios: " + String.join(" ", SCENARIOS.keySet()));
  }
}
