package dev.meridian.agent.transfer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Resilience4j stays inside the transfer package: DESIGN.md §2, one package per library. The metrics package
 * may bind the transfer client's circuit breakers to Micrometer (resilience4j-micrometer) and nothing else.
 */
class ResilienceIsolationTest {
  @Test
  void onlyTheTransferPackageImportsResilience4j() {
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.meridian");
    noClasses()
        .that().resideOutsideOfPackages("dev.meridian.agent.transfer..", "dev.meridian.agent.metrics..")
        .should().dependOnClassesThat().resideInAnyPackage("io.github.resilience4j..")
        .because("retries and circuit breakers are the transfer client's concern")
        .check(classes);
  }
}
