package io.scrapinghubio.beam.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The job transforms' specs: immutable values whose withX() rejects a bad value at once, saying what was expected. */
class JobSpecsTest {
  private static final ScrapinghubConnection CONN = ScrapinghubIO.connection().withStorageEndpoint("http://127.0.0.1:5/");

  private static void rejects(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention " + f);
    }
  }

  @Test
  void jobActionsRejectBadValuesNamingThem() {
    rejects(() -> ScrapinghubIO.updateJobTags().withAdd(""), "tag", "''");
    rejects(() -> ScrapinghubIO.updateJobTags().withRemove("ok", null), "tag", "null");
    rejects(() -> ScrapinghubIO.updateJobTags().withAdd("a").withRemove("b", "a"), "'a'", "both added and removed");
    rejects(() -> ScrapinghubIO.updateJobTags().withRemove("a").withAdd("a"), "'a'", "both added and removed");
    rejects(() -> ScrapinghubIO.cancelJobs().withConnection(null), "connection", "ScrapinghubIO.connection()");
    rejects(() -> ScrapinghubIO.deleteJobs().withConnection(null), "connection", "but was null");
    rejects(() -> ScrapinghubIO.updateJobTags().withConnection(null), "connection");
  }

  @Test
  void jobActionsAreImmutableValues() {
    UpdateJobTags base = ScrapinghubIO.updateJobTags().withAdd("a");
    UpdateJobTags more = base.withAdd("b", "a").withRemove("old");
    assertEquals(List.of("a"), base.add());
    assertEquals(List.of(), base.remove());
    assertEquals(List.of("a", "b"), more.add(), "added once each, in order");
    assertEquals(List.of("old"), more.remove());

    CancelOrDeleteJobs cancel = ScrapinghubIO.cancelJobs();
    org.apache.beam.sdk.transforms.errorhandling.ErrorHandler<org.apache.beam.sdk.transforms.errorhandling.BadRecord, ?> handler =
        new org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.DefaultErrorHandler<>();
    CancelOrDeleteJobs routing = cancel.withBadRecordErrorHandler(handler);
    assertEquals(null, cancel.badRecordErrorHandler());
    assertEquals(handler, routing.badRecordErrorHandler());
    CancelOrDeleteJobs elsewhere = routing.withConnection(CONN);
    assertEquals(CONN, elsewhere.connection());
    assertEquals(handler, elsewhere.badRecordErrorHandler(), "changing the connection keeps the handler");
    assertEquals(ScrapinghubConnection.create(), routing.connection());

    assertEquals(ScrapinghubIO.deleteJobs().withConnection(CONN), ScrapinghubIO.deleteJobs().withConnection(CONN),
        "equal settings, equal specs");
    assertNotEquals(ScrapinghubIO.deleteJobs(), ScrapinghubIO.deleteJobs().withBadRecordErrorHandler(handler));
  }

  /** One class cancels or deletes: which one is in its default name and its display data, and survives every withX(). */
  @Test
  void cancelAndDeleteSayWhichActionTheyTake() {
    CancelOrDeleteJobs cancel = ScrapinghubIO.cancelJobs().withConnection(CONN);
    CancelOrDeleteJobs delete = ScrapinghubIO.deleteJobs().withConnection(CONN);
    assertNotEquals(cancel, delete);
    assertEquals("CancelJobs", cancel.getName());
    assertEquals("DeleteJobs", delete.getName());
    assertEquals("CancelJobs", cancel.withBadRecordErrorHandler(
        new org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.DefaultErrorHandler<>()).getName());
    assertTrue(DisplayData.from(cancel).items().stream().anyMatch(i -> i.getKey().equals("action") && "cancel".equals(i.getValue())),
        String.valueOf(DisplayData.from(cancel)));
    assertTrue(DisplayData.from(delete).items().stream().anyMatch(i -> i.getKey().equals("action") && "delete".equals(i.getValue())),
        String.valueOf(DisplayData.from(delete)));
    rejects(() -> ScrapinghubIO.deleteJobs().withBadRecordErrorHandler(null), "DeleteJobs.withBadRecordErrorHandler");
  }

  @Test
  void scheduleAndAwaitNameTheExpectedValues() {
    rejects(() -> ScrapinghubIO.scheduleJobs().withDuplicatePolicy(null), "duplicate policy", "RETURN_EXISTING", "null");
    rejects(() -> ScrapinghubIO.scheduleJobs().withConnection(null), "connection");
    rejects(() -> ScrapinghubIO.awaitJobs().withTimeoutPolicy(null), "timeout policy", "CANCEL", "null");
    rejects(() -> ScrapinghubIO.awaitJobs().withAcceptedCloseReasons("finished", " "), "close reason", "' '");
    rejects(() -> ScrapinghubIO.awaitJobs().withAcceptedCloseReasons(), "at least one close reason");
    rejects(() -> ScrapinghubIO.awaitJobs().withConnection(null), "connection");
  }

  @Test
  void crawlAndReadRejectsBadValuesNamingThem() {
    rejects(() -> ScrapinghubIO.crawlAndRead().withProject(0), "project", "0");
    rejects(() -> ScrapinghubIO.crawlAndRead().withPollInterval(Duration.ZERO), "poll interval", "PT0S");
    rejects(() -> ScrapinghubIO.crawlAndRead().withConsumedTag(" "), "consumed tag", "' '");
    rejects(() -> ScrapinghubIO.crawlAndRead().withConsumedTag(null), "consumed tag", "null");
    rejects(() -> ScrapinghubIO.crawlAndRead().withSchedule(null), "schedule", "ScrapinghubIO.scheduleJobs()");
    rejects(() -> ScrapinghubIO.crawlAndRead().withAwait(null), "await", "ScrapinghubIO.awaitJobs()");
    rejects(() -> ScrapinghubIO.crawlAndRead().withRead(null), "read", "ScrapinghubIO.readAll()");
    rejects(() -> ScrapinghubIO.crawlAndRead().withConnection(null), "connection");
    rejects(() -> ScrapinghubIO.crawlAndRead().withTimeoutPolicy(null), "timeout policy");
  }

}
