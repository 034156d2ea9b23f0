package dev.meridian.topology;

import dev.meridian.topology.TopologyValidator.RawFilter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The checks of a region's {@code repositories} filter: known fields, good globs, no duplicates, a non-empty include. */
final class FilterRules {
  private static final Set<String> FILTER_FIELDS = Set.of("include", "exclude");

  private FilterRules() {}

  /** The filter as written, or {@link RepositoryFilter#ALL} when not given (or not valid: the violations say why). */
  static RepositoryFilter filter(RawFilter raw, String where, List<String> violations) {
    if (raw == null) return RepositoryFilter.ALL;
    for (String f : raw.fields()) {
      if (!FILTER_FIELDS.contains(f)) violations.add(where + ": unknown field '" + f + "' (known: include, exclude)");
    }
    List<RepositoryGlob> include = raw.include() == null ? RepositoryFilter.ALL.include() : globs(raw.include(), where + ".include", violations);
    List<RepositoryGlob> exclude = raw.exclude() == null ? List.of() : globs(raw.exclude(), where + ".exclude", violations);
    if (raw.include() != null && raw.include().isEmpty()) {
      violations.add(where + ".include: empty, so the region would hold nothing (leave it out to include every repository)");
      return RepositoryFilter.ALL;
    }
    return include.isEmpty() ? RepositoryFilter.ALL : new RepositoryFilter(include, exclude);
  }

  private static List<RepositoryGlob> globs(List<String> patterns, String where, List<String> violations) {
    List<RepositoryGlob> globs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String p : patterns) {
      var problem = RepositoryGlob.problem(p);
      if (problem.isPresent()) {
        violations.add(where + ": " + problem.get());
      } else if (!seen.add(p)) {
        violations.add(where + ": duplicate pattern '" + p + "'");
      } else {
        globs.add(RepositoryGlob.parse(p));
      }
    }
    return globs;
  }
}
