package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.annotations.Internal;
import org.junit.jupiter.api.Test;

/**
 * The command line's public types are the list in {@code public-api.txt}. The CLI is a program, not
 * a library, but its jar is on the examples' class path ({@code ItemsToPostgres} runs the
 * {@code load} command's pipeline), and picocli's commands and option mixins cross packages: each
 * public type is one of those, and a new one, or one gone, fails here by name so that it is a
 * decision made in review. Types marked {@link Internal} are left out.
 */
class PublicApiTest {
  @Test
  void thePublicTypesAreTheListedApi() throws IOException {
    Set<String> actual = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.scrapinghubio.cli").stream()
        .filter(PublicApiTest::reachable)
        .map(JavaClass::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> listed = listed();
    Set<String> added = new TreeSet<>(actual);
    added.removeAll(listed);
    Set<String> gone = new TreeSet<>(listed);
    gone.removeAll(actual);
    assertTrue(added.isEmpty() && gone.isEmpty(),
        "the public API changed: new public types " + added + " (add them to public-api.txt if they are API, "
            + "else make them package-private or @Internal); listed but no longer public " + gone);
  }

  /** Public, not {@code @Internal}, and every enclosing class public and not internal either. */
  private static boolean reachable(JavaClass c) {
    if (c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(JavaModifier.PUBLIC) || k.isAnnotatedWith(Internal.class)) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> listed() throws IOException {
    try (InputStream in = PublicApiTest.class.getResourceAsStream("/public-api.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
