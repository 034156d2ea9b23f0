package dev.meridian.bench;

import java.util.List;

/** One numbered scenario of the performance issue: starts what it needs, measures, stops everything. */
public interface Scenario {
  /** The name used on the command line and in the table. */
  String name();

  List<Result> run(BenchContext context);
}
