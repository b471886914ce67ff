package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate-completion}: a bash/zsh completion script that completes the commands and their options. */
class CompletionTest {
  /** Completes {@code words} (the last one partial) with the script in bash, as a shell's Tab would. */
  private static String complete(Path script, String... words) throws Exception {
    String line = "source " + script + "; COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD="
        + (words.length - 1) + "; COMP_LINE=\"" + String.join(" ", words) + "\"; _complete_scrapinghub-io 2>/dev/null; "
        + "echo \"${COMPREPLY[@]}\"";
    Process p = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void theScriptCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
    CliRun run = CliRun.run("generate-completion");
    assertEquals(0, run.exitCode(), run.toString());
    Path script = Files.writeString(dir.resolve("completion.bash"), run.out());
    assertEquals("export", complete(script, "scrapinghub-io", "exp"));
    assertTrue(complete(script, "scrapinghub-io", "export", "--consumed").contains("--consumed-tag"));
    assertEquals("--compression", complete(script, "scrapinghub-io", "export", "--compr"));
    assertTrue(CliRun.run("--help").out().contains("generate-completion"), "listed in the help");
  }
}
