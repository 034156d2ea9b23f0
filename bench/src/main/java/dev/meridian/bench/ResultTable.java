package dev.meridian.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints results as a Markdown table, so the same text goes to a terminal and into BENCHMARKS.md. */
public final class ResultTable {
  private static final List<String> HEADER =
      List.of("scenario", "metric", "Meridian", "baseline", "ratio", "target", "result", "reps");

  private ResultTable() {}

  public static void print(List<Result> results, PrintStream out) {
    var rows = new ArrayList<List<String>>();
    rows.add(HEADER);
    for (Result r : results) {
      rows.add(List.of(
          r.scenario(),
          r.metric() + " (" + r.unit() + ")",
          number(r.meridian()),
          r.baseline().map(b -> number(b) + " " + r.baselineName()).orElse("-"),
          r.ratio().map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-"),
          r.target().toString(),
          r.target().kind() == Target.Kind.NONE ? "info" : r.passed() ? "PASS" : "FAIL",
          Integer.toString(r.repetitions())));
    }
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
    }
    for (int r = 0; r < rows.size(); r++) {
      out.println(line(rows.get(r), widths));
      if (r == 0) {
        var rule = new ArrayList<String>();
        for (int w : widths) rule.add("-".repeat(w));
        out.println(line(rule, widths));
      }
    }
  }

  private static String line(List<String> cells, int[] widths) {
    var sb = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      sb.append(' ').append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append(" |");
    }
    return sb.toString();
  }

  /** Three significant figures, no scientific notation. */
  public static String number(double value) {
    if (value == 0) return "0";
    double magnitude = Math.abs(value);
    if (magnitude >= 100) return String.format(Locale.ROOT, "%.0f", value);
    if (magnitude >= 10) return String.format(Locale.ROOT, "%.1f", value);
    if (magnitude >= 1) return String.format(Locale.ROOT, "%.2f", value);
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
