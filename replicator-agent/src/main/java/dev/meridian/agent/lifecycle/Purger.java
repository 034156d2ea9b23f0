package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.registry.Locks;
import dev.meridian.agent.registry.RegistryService;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TagRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs purges and retention in one region: reads its registers, asks {@link PurgePlanner} what to delete, and
 * deletes through the {@link RegistryService} like a client would, so every delete is an ordinary replicated
 * event and is refused the same way. A locked image (its repository, manifest or any of its tags not write- or
 * not delete-enabled) is never deleted; it is reported instead.
 */
public final class Purger {
  private static final Logger log = LoggerFactory.getLogger(Purger.class);
  private static final int PAGE = 1000;

  /** What one purge or retention run deleted (or would, in a dry run), and which images locks kept. */
  public record Report(boolean dryRun, List<PurgeAction> deleted, List<PurgeAction> locked) {
    public Report {
      deleted = List.copyOf(deleted);
      locked = List.copyOf(locked);
    }
  }

  /** {@code meridian purge}'s request. */
  public record Request(List<PurgeFilter> filters, Duration ago, int keep, boolean untagged, boolean dryRun) {
    public Request {
      filters = List.copyOf(filters);
      if (filters.isEmpty()) throw new IllegalArgumentException("a purge needs at least one --filter");
      requireNonNull(ago, "ago");
      if (ago.isNegative()) throw new IllegalArgumentException("--ago must not be negative");
      if (keep < 0) throw new IllegalArgumentException("--keep must not be negative");
    }
  }

  private final RegistryState state;
  private final RegistryService service;
  private final Clock clock;

  public Purger(RegistryState state, RegistryService service, Clock clock) {
    this.state = requireNonNull(state, "state");
    this.service = requireNonNull(service, "service");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Tags (and with {@code untagged}, untagged manifests) older than {@code ago} in the filtered repositories. */
  public Report purge(Request request) {
    Instant cutoff = clock.instant().minus(request.ago());
    return run(repository -> {
      List<PurgeFilter> matching = request.filters().stream().filter(f -> f.matchesRepository(repository.value())).toList();
      if (matching.isEmpty()) return Optional.empty();
      return Optional.of(view -> PurgePlanner.plan(view, tag -> matching.stream().anyMatch(f -> f.matchesTag(tag)), cutoff,
          request.keep(), request.untagged() ? Optional.of(cutoff) : Optional.empty()));
    }, request.dryRun());
  }

  /** Untagged manifests older than the policy's days for their repository. */
  public Report retain(RetentionPolicy policy, boolean dryRun) {
    Instant now = clock.instant();
    return run(repository -> policy.untaggedFor(repository.value()).map(days -> view -> PurgePlanner.plan(view,
        tag -> false, Instant.MIN, 0, Optional.of(now.minus(days)))), dryRun);
  }

  private Report run(Function<RepositoryName, Optional<Function<PurgePlanner.RepositoryView, List<PurgeAction>>>> planFor,
      boolean dryRun) {
    Map<RepositoryName, List<ManifestRecord>> manifests = new HashMap<>();
    List<PurgeAction> deleted = new ArrayList<>();
    List<PurgeAction> locked = new ArrayList<>();
    List<RepositoryName> repositories = repositories();
    Map<RepositoryName, Function<PurgePlanner.RepositoryView, List<PurgeAction>>> plans = new HashMap<>();
    for (RepositoryName r : repositories) planFor.apply(r).ifPresent(p -> plans.put(r, p));
    if (plans.isEmpty()) return new Report(dryRun, deleted, locked);
    state.forEachManifest(m -> {
      if (m.present() && plans.containsKey(m.repository())) manifests.computeIfAbsent(m.repository(), k -> new ArrayList<>()).add(m);
    });
    Locks locks = service.locks();
    for (RepositoryName repository : repositories) {
      var plan = plans.get(repository);
      if (plan == null) continue;
      List<TagRecord> tags = tags(repository);
      var view = new PurgePlanner.RepositoryView(repository, tags, manifests.getOrDefault(repository, List.of()));
      for (PurgeAction action : plan.apply(view)) {
        List<Tag> tagsOfImage = tags.stream().filter(t -> t.digest().filter(action.digest()::equals).isPresent())
            .map(TagRecord::tag).toList();
        if (isLocked(locks, repository, action, tagsOfImage)) {
          locked.add(action);
          continue;
        }
        if (!dryRun && !delete(action)) continue;
        deleted.add(action);
      }
    }
    log.info("purge.done dry_run={} deleted={} locked={}", dryRun, deleted.size(), locked.size());
    return new Report(dryRun, deleted, locked);
  }

  private static boolean isLocked(Locks locks, RepositoryName repository, PurgeAction action, List<Tag> tags) {
    if (locks.deleteLocked(repository, action.digest(), tags)) return true;
    if (!locks.writeEnabled(repository, Optional.empty())) return true;
    if (!locks.writeEnabled(repository, Optional.of(new Reference.DigestReference(action.digest())))) return true;
    return tags.stream().anyMatch(t -> !locks.writeEnabled(repository, Optional.of(new Reference.TagReference(t))));
  }

  /** Deletes; false when it was gone already or refused (a lock set meanwhile, a read-only region). */
  private boolean delete(PurgeAction action) {
    try {
      service.deleteManifest(action.repository(), action.reference());
      return true;
    } catch (RegistryException e) {
      if (e.code() != OciErrorCode.MANIFEST_UNKNOWN && e.code() != OciErrorCode.DENIED && e.code() != OciErrorCode.NAME_UNKNOWN) throw e;
      log.info("purge.skipped image={} reason={}", action.image(), e.getMessage());
      return false;
    }
  }

  private List<RepositoryName> repositories() {
    List<RepositoryName> all = new ArrayList<>();
    Optional<RepositoryName> last = Optional.empty();
    while (true) {
      List<RepositoryName> page = state.listRepositories(last, PAGE);
      all.addAll(page);
      if (page.size() < PAGE) return all;
      last = Optional.of(page.get(page.size() - 1));
    }
  }

  private List<TagRecord> tags(RepositoryName repository) {
    List<TagRecord> records = new ArrayList<>();
    Optional<Tag> last = Optional.empty();
    while (true) {
      List<Tag> page = state.listTags(repository, last, PAGE);
      for (Tag t : page) state.findTag(repository, t).filter(r -> !r.isDeleted()).ifPresent(records::add);
      if (page.size() < PAGE) return records;
      last = Optional.of(page.get(page.size() - 1));
    }
  }
}
