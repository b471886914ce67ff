package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read whose selection is a typo fails naming the value and what was expected, once, when the
 * jobs are listed (or before, when the check needs no service); a selection that is really empty
 * ends with exactly one log line saying so. Before, each "succeeded" with 0 records and no word.
 */
class EmptySelectionTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  private static long nextProject = 8100;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
  }

  /** One place to name the connection, so that only this line follows a change of the connection API. */
  private ScrapinghubRead<ScrapinghubRecord> read() {
    return ScrapinghubIO.read().withConnection(io.scrapinghubio.beam.connection.ScrapinghubConnection.fromClientConfig(ReadFixture.config(emu)));
  }

  /** Runs the read; returns every message of the failure's cause chain. */
  private static String failure(ScrapinghubRead<ScrapinghubRecord> read) {
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(read);
    Throwable e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      sb.append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }

  @Test
  void aJobNamedInWithJobsThatDoesNotExistFailsBeforeAnythingIsRead() {
    String existing = ReadFixture.job(emu, project, "products", JobState.FINISHED, List.of(), 30);
    String missing = project + "/1/999";
    String m = failure(read().withJobs(existing, missing));
    assertTrue(m.contains("withJobs(...): 1 of the 2 jobs named do not exist") && m.contains("[" + missing + "]"), m);
    assertTrue(m.contains("expected keys of existing jobs"), m);
    assertEquals(List.of(), emu.requestLog().matching("GET", "^/items/" + project + "/"), "nothing was read");
  }

  @Test
  void aProjectThatDoesNotExistFailsTheReadNamingIt() {
    ReadFixture.job(emu, project, "products", JobState.FINISHED, List.of(), 5); // a project the key does see
    long typo = project + 100_000;
    String m = failure(read().withProject(typo));
    // A service that refuses the listing (401/403 naming the project) says it first; one that
    // answers it with an empty list gets the check after the listing.
    assertTrue(m.contains(Long.toString(typo)), m);
    if (!m.contains("HTTP 401") && !m.contains("HTTP 403")) {
      assertTrue(m.contains("withProject(" + typo + "): project " + typo + " does not exist or the API key cannot see it"), m);
      assertTrue(m.contains("expected one of the key's projects: [") && m.contains(Long.toString(project)), m);
    }
  }

  @Test
  void aSpiderThatDoesNotExistFailsTheReadNamingItAndTheSpidersThatDo() {
    ReadFixture.job(emu, project, "products", JobState.FINISHED, List.of(), 5);
    ReadFixture.job(emu, project, "reviews", JobState.FINISHED, List.of(), 5);
    String m = failure(read().withProject(project).withSpiders("products", "prodcts"));
    assertTrue(m.contains("spider 'prodcts' does not exist in project " + project), m);
    assertTrue(m.contains("expected one of its spiders: [products, reviews]"), m);
  }

  @Test
  void aSpiderWithNoFinishedJobYetReadsNothingAndSaysSoInOneLine() {
    ReadFixture.job(emu, project, "products", JobState.RUNNING, List.of(), 5);
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    PCollection<ScrapinghubRecord> records = p.apply(read().withProject(project).withSpiders("products"));
    PAssert.that(records).empty();

    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(stderr, captured), true, StandardCharsets.UTF_8));
    try {
      p.run().waitUntilFinish();
    } finally {
      System.setErr(stderr);
    }
    List<String> lines = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> l.contains("Nothing to read from project " + project)).toList();
    assertEquals(1, lines.size(), String.valueOf(lines));
    assertTrue(lines.get(0).contains("spider 'products': no job matches") && lines.get(0).contains("states=[finished]"), lines.get(0));
  }

  @Test
  void anUnknownFilterOperatorOrAnEmptyTimeRangeIsRefusedWhenTheReadIsBuilt() {
    IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
        () -> read().withProject(project).withFilter("[\"price\", \"=>\", [10]]"));
    assertTrue(op.getMessage().contains("unknown filter operator '=>'") && op.getMessage().contains("expected one of"), op.getMessage());
    IllegalArgumentException ts = assertThrows(IllegalArgumentException.class,
        () -> read().withProject(project).withStartTs(2_000_000).withEndTs(1_000_000));
    assertTrue(ts.getMessage().contains("startTs (2000000") && ts.getMessage().contains("must be before endTs (1000000"), ts.getMessage());
  }

  /** Copies what is written to stderr, still showing it. */
  private static final class TeeStream extends java.io.OutputStream {
    private final PrintStream out;
    private final ByteArrayOutputStream copy;

    TeeStream(PrintStream out, ByteArrayOutputStream copy) {
      this.out = out;
      this.copy = copy;
    }

    @Override
    public synchronized void write(int b) {
      out.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      out.write(b, off, len);
      copy.write(b, off, len);
    }
  }
}
