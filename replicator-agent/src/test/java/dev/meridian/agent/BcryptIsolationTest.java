package dev.meridian.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The password hashing library stays in the security package, which keeps every password decision in one place. */
class BcryptIsolationTest {
  @Test
  void onlyTheSecurityPackageImportsBcrypt() {
    var classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.meridian");
    noClasses()
        .that().resideOutsideOfPackages("dev.meridian.agent.security..")
        .should().dependOnClassesThat().resideInAnyPackage("at.favre..")
        .because("password hashing belongs to the security package")
        .check(classes);
  }
}
