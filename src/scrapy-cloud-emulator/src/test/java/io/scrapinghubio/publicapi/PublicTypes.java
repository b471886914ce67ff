package io.scrapinghubio.publicapi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check behind each library module's {@code PublicApiTest}: the module's public types are the
 * ones its checked-in {@code public-api.txt} lists, so that a type made public, renamed or removed
 * fails by name until the list says so, and every change of an API surface is a decision a
 * reviewer sees in the diff. Shared with the other modules' tests through the emulator's test jar
 * (the emulator is the one module every library's tests already depend on).
 */
public final class PublicTypes {
  private PublicTypes() {}

  /**
   * Fails naming every public type of {@code mainClass}'s module that the list lacks, and every
   * listed type that is no longer public.
   *
   * @param mainClass any class of the module's main code: its folder or jar is what is read (not a
   *     package scan, which would need a name pattern to keep the test classes out)
   * @param test the test class; {@code public-api.txt} is read beside it (one name a line, as
   *     {@link Class#getName()} spells it; blank lines and {@code #} comments are skipped)
   * @throws IOException if the list cannot be read
   * @throws URISyntaxException if the module's location is not a path
   */
  public static void assertListed(Class<?> mainClass, Class<?> test) throws IOException, URISyntaxException {
    Path mainOutput = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> actual = new TreeSet<>();
    for (JavaClass c : new ClassFileImporter().importPath(mainOutput)) {
      if (reachable(c)) {
        actual.add(c.getName());
      }
    }
    Set<String> listed = listed(test);
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
        && c.getEnclosingClass().map(PublicTypes::reachable).orElse(true);
  }

  private static Set<String> listed(Class<?> test) throws IOException {
    try (InputStream in = test.getResourceAsStream("public-api.txt")) {
      if (in == null) {
        throw new IOException("no public-api.txt beside " + test.getName());
      }
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
