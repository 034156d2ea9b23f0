package dev.meridian.core.state;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The merge rule on its own, with no storage: each register keeps the write {@link RegisterMerge} lets
 * win. {@link #observed} and {@link #expected} turn a store and this model into the same comparable view,
 * so a property test can say "the store shows what the rule says".
 */
public final class RegisterModel {
  private final Map<Object, Object> winners = new HashMap<>();
  private final TreeSet<RepositoryName> repositories = new TreeSet<>();

  public RegisterModel apply(Object write) {
    repositories.add(repositoryOf(write));
    Object key = RegisterWrites.registerKey(write);
    Optional<Object> current = Optional.ofNullable(winners.get(key));
    if (RegisterMerge.wins(RegisterWrites.stampOf(write), current.map(RegisterWrites::stampOf))) winners.put(key, write);
    return this;
  }

  public static RegisterModel of(List<Object> writes) {
    RegisterModel model = new RegisterModel();
    writes.forEach(model::apply);
    return model;
  }

  public Map<Object, Object> winners() {
    return Map.copyOf(winners);
  }

  /** Everything a client can ask a store about the registers of the generated world, by question. */
  public static Map<String, Object> observed(RegistryState state) {
    Map<String, Object> view = new LinkedHashMap<>();
    for (String r : RegisterWrites.REPOSITORIES) {
      RepositoryName repo = new RepositoryName(r);
      view.put("exists " + r, state.repositoryExists(repo));
      view.put("tags " + r, state.listTags(repo, Optional.empty(), 100));
      for (String t : RegisterWrites.TAGS) view.put("tag " + r + ":" + t, state.findTag(repo, new Tag(t)));
      for (Digest d : RegisterWrites.DIGESTS) {
        view.put("manifest " + r + "@" + d, state.findManifest(repo, d));
        view.put("link " + r + "@" + d, state.findBlobLink(repo, d));
        view.put("referrers " + r + "@" + d, state.findReferrers(repo, d));
      }
    }
    view.put("repositories", state.listRepositories(Optional.empty(), 100));
    return view;
  }

  /** What {@link #observed} should show for a store that merged exactly this model's writes. */
  public Map<String, Object> expected() {
    Map<String, Object> view = new LinkedHashMap<>();
    for (String r : RegisterWrites.REPOSITORIES) {
      RepositoryName repo = new RepositoryName(r);
      view.put("exists " + r, repositories.contains(repo));
      view.put("tags " + r, winners.values().stream()
          .filter(w -> w instanceof TagRecord t && t.repository().equals(repo) && !t.isDeleted())
          .map(w -> ((TagRecord) w).tag()).sorted().toList());
      for (String t : RegisterWrites.TAGS) {
        view.put("tag " + r + ":" + t, Optional.ofNullable(winners.get(List.of("tag", repo, new Tag(t)))));
      }
      for (Digest d : RegisterWrites.DIGESTS) {
        view.put("manifest " + r + "@" + d, Optional.ofNullable(winners.get(List.of("manifest", repo, d))));
        view.put("link " + r + "@" + d, Optional.ofNullable(winners.get(List.of("link", repo, d))));
        view.put("referrers " + r + "@" + d, winners.values().stream()
            .filter(w -> w instanceof ManifestRecord m && m.repository().equals(repo) && m.present()
                && m.subject().map(s -> s.digest().equals(d)).orElse(false))
            .map(ManifestRecord.class::cast)
            .sorted(Comparator.comparing(ManifestRecord::digest))
            .toList());
      }
    }
    view.put("repositories", List.copyOf(repositories));
    return view;
  }

  private static RepositoryName repositoryOf(Object write) {
    if (write instanceof TagRecord t) return t.repository();
    if (write instanceof ManifestRecord m) return m.repository();
    if (write instanceof BlobLinkRecord l) return l.repository();
    throw new IllegalArgumentException("not a register write: " + write);
  }
}
