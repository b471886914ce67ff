package io.scrapinghubio.client.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.scrapinghubio.client.ScrapinghubClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The client's public types are the ones listed in {@code public-api.txt}, beside this class: a
 * type made public, renamed or removed fails this test by name until the list says so, so that
 * every change of the API surface is a decision a reviewer sees in the diff. The plumbing's public
 * types (package {@code http}, marked internal) are listed too: making them public was a decision
 * as well.
 */
class PublicApiTest {

  @Test
  void publicTypesAreTheListedOnes() throws IOException, URISyntaxException {
    // The main classes' own folder or jar (as EmulatorArchitectureTest does), not a package scan
    // that a name pattern would have to keep the test classes out of.
    Path mainOutput = Path.of(ScrapinghubClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> actual = new TreeSet<>();
    for (JavaClass c : new ClassFileImporter().importPath(mainOutput)) {
      if (reachable(c)) {
        actual.add(c.getName());
      }
    }
    Set<String> listed = listed();
    Set<String> added = new TreeSet<>(actual);
    added.removeAll(listed);
    Set<String> gone = new TreeSet<>(listed);
    gone.removeAll(actual);
    assertTrue(added.isEmpty() && gone.isEmpty(), "public types differ from public-api.txt; new: " + added
        + " (list them if they are meant to be API, else make them package-private); gone: " + gone
        + " (take them off the list)");
  }

  /** Public, and so are the classes it is nested in: a user can name it. */
  private static boolean reachable(JavaClass c) {
    return c.getModifiers().contains(JavaModifier.PUBLIC)
        && c.getEnclosingClass().map(PublicApiTest::reachable).orElse(true);
  }

  private static Set<String> listed() throws IOException {
    try (InputStream in = PublicApiTest.class.getResourceAsStream("public-api.txt")) {
      Set<String> names = new TreeSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
      return names;
    }
  }
}
