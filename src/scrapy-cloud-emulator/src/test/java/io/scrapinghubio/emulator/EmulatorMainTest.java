package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EmulatorMainTest {

  private static String[] run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = EmulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void helpPrintsUsage() throws Exception {
    String[] r = run("--help");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("--demo-items-per-job"));
  }

  @Test
  void badOptionIsNamed() throws Exception {
    String[] r = run("--port", "80x");
    assertEquals("2", r[0]);
    assertTrue(r[2].startsWith("error: option --port: not a number: 80x"), r[2]);
    r = run("--frobnicate");
    assertTrue(r[2].startsWith("error: unknown option: --frobnicate"), r[2]);
    r = run("--apikey");
    assertTrue(r[2].startsWith("error: option --apikey needs a value"), r[2]);
  }

  @Test
  void startsAndPrintsEndpoints() throws Exception {
    String[] r = run("--port", "0", "--apikey", "K", "--demo-jobs", "2", "--demo-items-per-job", "10",
        "--latency-ms", "1", "--no-gzip");
    assertEquals("0", r[0]);
    assertTrue(r[1].contains("storage endpoint: http://127.0.0.1:"), r[1]);
    assertTrue(r[1].contains("/api/"), r[1]);
    assertTrue(r[1].contains("2 jobs x 10 items"), r[1]);
  }
}
