package dev.meridian.agent.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Concurrent first requests share one password check per credential, and never one another's verdict. */
class AuthenticatorConcurrencyTest {
  private final PasswordHasher hasher = new PasswordHasher(6);
  private final Authenticator authenticator = new Authenticator(hasher, hasher.hash("admin-secret"), FleetKey.generate(),
      new InMemoryCredentialStore(), Clock.systemUTC());

  @Test
  void concurrentRequestsWithRightAndWrongPasswordsEachGetTheirOwnVerdict() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<CompletableFuture<Optional<Principal>>> right = new ArrayList<>();
      List<CompletableFuture<Optional<Principal>>> wrong = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        right.add(CompletableFuture.supplyAsync(() -> awaitThen(start, () -> authenticator.authenticate("admin", "admin-secret")), pool));
        wrong.add(CompletableFuture.supplyAsync(() -> awaitThen(start, () -> authenticator.authenticate("admin", "guess")), pool));
      }
      start.countDown();
      for (var verdict : right) assertThat(verdict.get()).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("admin"));
      for (var verdict : wrong) assertThat(verdict.get()).isEmpty();
      assertThat(authenticator.isQuick("admin", "admin-secret")).as("the success is remembered").isTrue();
      assertThat(authenticator.isQuick("admin", "guess")).as("a failure is not").isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T awaitThen(CountDownLatch start, java.util.function.Supplier<T> work) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return work.get();
  }
}
