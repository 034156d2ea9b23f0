package dev.meridian.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Netty stays in the HTTP edge (DESIGN.md §2); the registry service below it knows no HTTP library. */
class NettyIsolationTest {
  @Test
  void onlyTheHttpPackageImportsNetty() {
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.meridian");
    noClasses()
        .that().resideOutsideOfPackages("dev.meridian.agent.http..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
        .because("the HTTP edge is the one place that knows Netty")
        .check(classes);
  }
}
