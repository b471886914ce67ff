package io.scrapinghubio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.collections.Collection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.client.write.Batch;
import io.scrapinghubio.client.write.RecordRejectedException;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What the client makes of each answer by which the real service refuses a mistake (and which the
 * emulator now gives too): a typed error whose message names the value, never an empty result.
 */
class ServiceRefusalsEmulatorTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final String NARROW_KEY = "fedcba9876543210fedcba9876543210";
  private static final long P = 9401;
  private static final long OTHER = 9402;
  private static final long TYPO = 94011;

  private static ScrapyCloudEmulator emu;
  private static ScrapinghubClient client;
  private static ScrapinghubClient narrow;

  @BeforeAll
  static void start() {
    emu = ScrapyCloudEmulator.builder().apiKey(KEY).apiKeyWithAccessTo(NARROW_KEY, P).projects(OTHER)
        .spiders(P, "books").start();
    client = client(KEY);
    narrow = client(NARROW_KEY);
  }

  private static ScrapinghubClient client(String key) {
    return ScrapinghubClient.create(ClientConfig.builder().apiKey(key).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(RetryPolicy.none()).build());
  }

  @AfterAll
  static void stop() {
    client.close();
    narrow.close();
    emu.close();
  }

  private static <T extends Throwable> T refused(Class<T> type, String named, Executable call) {
    T e = assertThrows(type, call);
    assertTrue(e.getMessage().contains(named), "the message names " + named + ": " + e.getMessage());
    return e;
  }

  @Test
  void aProjectThatDoesNotExistIsUnauthorizedNamingIt() {
    UnauthorizedException e = refused(UnauthorizedException.class, "project " + TYPO,
        () -> client.getProject(TYPO).jobs().list(JobQuery.all()));
    assertTrue(e.getMessage().contains("does not exist or this key's user has no access to it"), e.getMessage());
    refused(UnauthorizedException.class, "project " + TYPO, () -> client.getJob(TYPO + "/1/1").items().count());
    refused(UnauthorizedException.class, "project " + TYPO, () -> client.getProject(TYPO).collections().getStore("c").count());
    refused(BadRequestException.class, "Project " + TYPO, () -> client.getProject(TYPO).jobs().run(RunRequest.of("books")));
    refused(BadRequestException.class, "Project " + TYPO, () -> client.getProject(TYPO).spiders().list());
  }

  @Test
  void aKeySeesOnlyItsProjects() {
    assertEquals(List.of(P, OTHER), client.projects().list());
    assertEquals(List.of(P), narrow.projects().list());
    refused(UnauthorizedException.class, "project " + OTHER, () -> narrow.getProject(OTHER).jobs().count());
    narrow.getProject(P).jobs().count(); // its own project answers
  }

  @Test
  void aSpiderThatWasNeverDeployedIsABadRequestNamingIt() {
    refused(BadRequestException.class, "Spider boks not found", () -> client.getProject(P).jobs().run(RunRequest.of("boks")));
  }

  @Test
  void theMetadataOfAJobThatDoesNotExistIsNotFound() {
    Job missing = client.getJob(P + "/1/404");
    refused(NotFoundException.class, "job " + P + "/1/404", () -> missing.metadata().list());
    refused(NotFoundException.class, "job " + P + "/1/404", () -> missing.metadata().iter());
    refused(NotFoundException.class, "job " + P + "/1/404", () -> missing.metadata().update(Map.of("a", 1)));
    refused(NotFoundException.class, "/jobs/" + P + "/1/404/note", () -> missing.metadata().set("note", "x"));
    refused(NotFoundException.class, "job " + P + "/1/404", () -> missing.update("finished"));
  }

  @Test
  void anUnknownFilterOperatorIsRefusedNamingIt() {
    String job = emu.state().addJob(P, "books", JobState.FINISHED, Map.of()).key();
    JobData items = client.getJob(job).items();
    // The client refuses it before sending; a filter that reaches the service anyway (a raw filter
    // string) is refused there with 400, which the emulator's own tests check.
    refused(IllegalArgumentException.class, "gt", () -> items.list(items.spec().withFilter("price", "gt", 10)));
  }

  @Test
  void aCollectionKeyThatIsNotAStringIsRefusedNamingIt() {
    Collection c = client.getProject(P).collections().getStore("keys");
    // The client refuses it before sending, as python-scrapinghub's test_errors expects of the service ...
    RecordRejectedException early = refused(RecordRejectedException.class, "[]", () -> c.set(Map.of("_key", List.of())));
    assertEquals(RecordRejectedException.Reason.MISSING_KEY, early.reason());
    // ... and maps the service's own refusal when a prepared batch carries one.
    refused(BadRequestException.class, "invalid value for _key field: []",
        () -> c.uploader().upload(Batch.ofStrings(0, List.of("{\"_key\": []}"))));
  }

  @Test
  void aDeletedJobHasNoDataLeft() {
    String key = emu.state().addJob(P, "books", JobState.FINISHED, Map.of()).key();
    emu.state().appendItems(key, List.of(Map.of("a", 1), Map.of("a", 2)));
    Job job = client.getJob(key);
    assertEquals(2, job.items().count());
    job.delete();
    assertEquals(0, job.items().count());
    assertEquals(List.of(), job.items().list());
    refused(NotFoundException.class, "record 0", () -> job.items().get(0));
    assertEquals("deleted", job.metadata().get("state").asText(), "its metadata stays");
    assertFalse(client.getProject(P).jobs().list(JobQuery.all()).stream().anyMatch(s -> s.key().toString().equals(key)));
  }

  @Test
  void aRefusedProjectIsNotRetried() {
    try (ScrapinghubClient retrying = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY)
        .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
        .retryPolicy(RetryPolicy.of(4, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5), java.time.Duration.ofSeconds(5)))
        .build())) {
      long before = emu.stats().requestsServed();
      assertThrows(ScrapinghubException.class, () -> retrying.getProject(TYPO).jobs().count());
      assertEquals(1, emu.stats().requestsServed() - before, "a wrong project is never fixed by asking again");
    }
  }
}
