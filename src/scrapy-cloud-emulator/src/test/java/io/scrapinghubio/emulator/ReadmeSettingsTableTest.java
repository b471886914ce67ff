package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table of emulator settings is the one {@link EmulatorSetting} gives: a setting added,
 * renamed or with another default fails here until the README says so. On failure the table to paste
 * is in {@code target/emulator-settings.md}.
 */
class ReadmeSettingsTableTest {

  /** The table, one row per setting, in the table's order. */
  static String table() {
    StringBuilder t = new StringBuilder("| Option | Container variable | Default | What it does |\n|---|---|---|---|\n");
    for (EmulatorSetting s : EmulatorSetting.values()) {
      String option = s.option() + (s.isSwitch() ? "" : " " + s.valueLabel());
      String variable = "`" + s.variable() + (s.isSwitch() ? "=false`" : s.isRepeatable() ? "` (comma-separated)" : "`");
      String byDefault = s.isSwitch() || s.defaultValue() == null ? "" : s.defaultValue();
      t.append("| `").append(option).append("` | ").append(variable).append(" | ").append(byDefault).append(" | ")
          .append(s.help().replace("|", "\\|")).append(" |\n");
    }
    return t.toString();
  }

  @Test
  void theReadmeListsEverySettingAsTheTableSays() throws Exception {
    String table = table();
    String readme = Files.readString(Path.of("../../README.md"), StandardCharsets.UTF_8);
    if (!readme.contains(table)) {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/emulator-settings.md"), table, StandardCharsets.UTF_8);
    }
    assertTrue(readme.contains(table), "README.md's emulator settings table differs from EmulatorSetting's; "
        + "the current one is in target/emulator-settings.md:\n" + table);
  }
}
