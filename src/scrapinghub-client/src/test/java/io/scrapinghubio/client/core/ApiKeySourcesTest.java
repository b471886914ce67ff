package io.scrapinghubio.client.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys read where the client runs: from a file, an environment variable of the user's choice, or
 * a source of their own. Each is checked like an explicit key, each error names the source and
 * never what it held, and only the source is serialised.
 */
class ApiKeySourcesTest {
  private static final String SECRET = "f1le5ecre7f1le5ecre7f1le5ecre7zz";

  private static void failsNaming(ApiKey key, String mustContain, String mustNotContain) {
    IllegalStateException e = assertThrows(IllegalStateException.class, key::reveal);
    assertTrue(e.getMessage().contains(mustContain), () -> "'" + e.getMessage() + "' should name '" + mustContain + "'");
    assertFalse(e.getMessage().contains(mustNotContain), () -> "'" + e.getMessage() + "' shows the key");
    assertTrue(key.describe().startsWith("no usable key"), key.describe());
  }

  @Test
  void aFileKeyIsReadAndTrimmedWhenRevealed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("shub-key");
    ApiKey key = ApiKey.fromFile(file.toString()); // the file need not exist yet: it is read where the client runs
    Files.writeString(file, SECRET + "\n");
    assertEquals(SECRET, key.reveal());
    assertFalse(key.isExplicit());
    assertEquals("read from file " + file, key.source());
    for (String printable : List.of(key.toString(), key.describe(), key.source())) {
      assertFalse(printable.contains(SECRET), printable);
    }
    assertTrue(key.describe().contains(ApiKey.fingerprint(SECRET)), key.describe());
    assertTrue(key.describe().contains("read from file " + file), key.describe());
    Files.writeString(file, "r0tated-" + SECRET.substring(8));
    assertEquals("r0tated-" + SECRET.substring(8), key.reveal(), "read again each time a client asks, not cached in the value");
  }

  @Test
  void aMissingEmptyOrWrongFileFailsNamingThePathNeverTheContent(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("no-such-key");
    failsNaming(ApiKey.fromFile(missing.toString()), missing.toString(), SECRET);
    failsNaming(ApiKey.fromFile(missing.toString()), "does not exist", SECRET);

    Path empty = Files.writeString(dir.resolve("empty"), " \n");
    failsNaming(ApiKey.fromFile(empty.toString()), empty + " is empty", SECRET);

    failsNaming(ApiKey.fromFile(dir.toString()), "is a directory", SECRET);

    Path twoWords = Files.writeString(dir.resolve("two-words"), SECRET + " " + SECRET + "\n");
    failsNaming(ApiKey.fromFile(twoWords.toString()), "contains whitespace", SECRET);
    failsNaming(ApiKey.fromFile(twoWords.toString()), twoWords.toString(), SECRET.substring(0, 8));

    Path withColon = Files.writeString(dir.resolve("user-pass"), SECRET + ":");
    failsNaming(ApiKey.fromFile(withColon.toString()), "':'", SECRET);

    Path huge = Files.writeString(dir.resolve("huge"), SECRET.repeat(200));
    failsNaming(ApiKey.fromFile(huge.toString()), "6400 bytes", SECRET);

    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> ApiKey.fromFile(" "));
    assertTrue(blank.getMessage().contains("file path"), blank.getMessage());
  }

  @Test
  void aVariableOfTheUsersChoice() {
    String unset = "SCRAPINGHUBIO_TEST_UNSET_" + System.nanoTime();
    failsNaming(ApiKey.fromEnvironment(unset), unset + " is not set", SECRET);
    assertEquals("read from " + unset, ApiKey.fromEnvironment(unset).source());

    String home = System.getenv("HOME"); // set on every machine that runs the build, and shaped like a key
    assumeTrue(home != null && !home.isBlank() && !home.contains(":") && home.chars().noneMatch(Character::isWhitespace));
    assertEquals(home, ApiKey.fromEnvironment("HOME").reveal());
    assertFalse(ApiKey.fromEnvironment("HOME").toString().contains(home));

    String path = System.getenv("PATH"); // holds ':' : refused, and never echoed
    assumeTrue(path != null && path.contains(":"));
    failsNaming(ApiKey.fromEnvironment("PATH"), "read from PATH contains whitespace or ':'", path);

    assertThrows(IllegalArgumentException.class, () -> ApiKey.fromEnvironment("A=B"));
    assertThrows(IllegalArgumentException.class, () -> ApiKey.fromEnvironment(null));
  }

  /** What the test's secret manager holds, by secret name; it stays in this JVM, as a real vault stays on its server. */
  private static final java.util.Map<String, String> VAULT = java.util.Map.of(
      "shub", " " + SECRET + " ", "basic-auth", "user:" + SECRET, "unset", "");

  /** A user's source for a secret manager: a record, so equal sources are equal keys. */
  record VaultKey(String secretName) implements ApiKeySource {
    @Override
    public String resolve() throws IOException {
      if (!VAULT.containsKey(secretName)) {
        throw new IOException("vault has no secret " + secretName);
      }
      String v = VAULT.get(secretName);
      return v.isEmpty() ? null : v;
    }

    @Override
    public String description() {
      return "read from vault secret " + secretName;
    }
  }

  @Test
  void aSourceOfTheUsersOwn() {
    ApiKey key = ApiKey.from(new VaultKey("shub"));
    assertEquals(SECRET, key.reveal());
    assertEquals(key, SerialisedBytes.roundTrip(key), "a record source keeps value equality across serialisation");
    assertEquals("ApiKey(read from vault secret shub)", key.toString());

    failsNaming(ApiKey.from(new VaultKey("unset")), "(read from vault secret unset) returned none", SECRET);
    IllegalStateException thrown = assertThrows(IllegalStateException.class, ApiKey.from(new VaultKey("gone"))::reveal);
    assertTrue(thrown.getMessage().contains("read from vault secret gone"), thrown.getMessage());
    assertEquals("vault has no secret gone", thrown.getCause().getMessage(), "the source's own error is kept as the cause");
    failsNaming(ApiKey.from(new VaultKey("basic-auth")), "contains whitespace or ':'", SECRET);

    ApiKeySource lambda = () -> SECRET;
    assertTrue(ApiKey.from(lambda).source().startsWith("supplied by "), ApiKey.from(lambda).source());
    assertThrows(IllegalArgumentException.class, () -> ApiKey.from(null));
  }

  /**
   * The defect: a configuration's serialised form (what a Beam job graph holds) carried the key
   * in plain text. A key read where the client runs is serialised as where to read it.
   */
  @Test
  void onlyWhereToReadTheKeyIsSerialised(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("key"), SECRET);
    ClientConfig explicit = ClientConfig.builder().apiKey(SECRET).storageEndpoint("http://127.0.0.1:9/").build();
    assertTrue(SerialisedBytes.contain(SerialisedBytes.of(explicit), SECRET), "control: an explicit key is serialised");

    List<ApiKey> resolvedOnTheWorker = List.of(ApiKey.fromFile(file.toString()), ApiKey.fromEnvironment("SHUB_TEST_KEY"),
        ApiKey.fromEnvironment(), ApiKey.from(new VaultKey("shub")));
    for (ApiKey key : resolvedOnTheWorker) {
      ClientConfig config = explicit.toBuilder().apiKey(key).build();
      byte[] bytes = SerialisedBytes.of(config);
      assertFalse(SerialisedBytes.contain(bytes, SECRET), key + " serialised the key");
      assertFalse(SerialisedBytes.contain(bytes, ApiKey.fingerprint(SECRET)), key + " serialised its fingerprint");
      assertEquals(config, SerialisedBytes.roundTrip(config));
    }
    ClientConfig shipped = SerialisedBytes.roundTrip(explicit.toBuilder().apiKey(ApiKey.fromFile(file.toString())).build());
    assertEquals(SECRET, shipped.apiKey().reveal(), "the copy reads the file where it runs");
  }

  @Test
  void anExplicitKeyIsCheckedAsBefore() {
    assertThrows(IllegalArgumentException.class, () -> ApiKey.of(""));
    IllegalArgumentException inner = assertThrows(IllegalArgumentException.class, () -> ApiKey.of("abc def"));
    assertFalse(inner.getMessage().contains("abc"), inner.getMessage());
    assertTrue(ApiKey.of(SECRET).isExplicit());
    assertEquals("given explicitly", ApiKey.of(SECRET).source());
    assertEquals("ApiKey(" + ApiKey.fingerprint(SECRET) + ")", ApiKey.of(SECRET).toString());
  }
}
