package io.scrapinghubio.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command lines README.md shows for the executable jar, as a shell would split them: the
 * {@code scrapinghub-io ...} lines of "The command line" (with the alias's JVM flags and jar), and
 * every {@code java ... -jar ...scrapinghub-io.jar ...} line of the README's bash blocks.
 */
final class ReadmeCommands {
  /** The command's name as the README's alias calls the jar. */
  static final String ALIAS = "scrapinghub-io";

  /** Words a shell treats as operators: the jar's arguments end before the first. */
  static final Set<String> OPERATORS = Set.of("|", "||", "&&", "&", ";", ">", ">>", "<", "2>", "2>&1");

  /**
   * One command line of the README.
   *
   * @param text the line as the README shows it (continuations joined), for a shell to run
   * @param jvm the JVM flags between {@code java} and {@code -jar}
   * @param jar the jar path the README gives
   * @param args the jar's arguments: the command's name, then its options
   * @param tail the shell words after them (a pipe, a redirection), if any
   */
  record Command(String text, List<String> jvm, String jar, List<String> args, List<String> tail) {
    static Command of(String text, List<String> jvm, String jar, List<String> words) {
      int end = 0;
      while (end < words.size() && !OPERATORS.contains(words.get(end))) {
        end++;
      }
      return new Command(text, List.copyOf(jvm), jar, List.copyOf(words.subList(0, end)),
          List.copyOf(words.subList(end, words.size())));
    }

    String name() {
      return args.isEmpty() ? "" : args.get(0);
    }

    Options options() {
      return Options.parse(args.subList(1, args.size()));
    }

    /** Whether the README runs it through the alias (else it is a {@code java ... -jar} line). */
    boolean viaAlias() {
      return text.startsWith(ALIAS + " ");
    }
  }

  final List<Command> commandLine;
  final List<Command> javaCommands;
  /** The alias's {@code java ... -jar JAR} words. */
  final List<String> alias;
  /** The alias's value as the shell reads it, e.g. {@code java -Xmx1g -jar src/.../scrapinghub-io.jar}. */
  final String aliasText;
  /** The README's example of the emulator's ready line, if it shows one. */
  final Optional<String> readyLine;

  private ReadmeCommands(List<Command> commandLine, List<Command> javaCommands, List<String> alias,
      String aliasText, Optional<String> readyLine) {
    this.commandLine = commandLine;
    this.javaCommands = javaCommands;
    this.alias = alias;
    this.aliasText = aliasText;
    this.readyLine = readyLine;
  }

  static ReadmeCommands read(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    int section = lines.indexOf("## The command line");
    if (section < 0) {
      throw new IllegalStateException(readme + " has no section '## The command line'");
    }
    int sectionEnd = section + 1;
    while (sectionEnd < lines.size() && !lines.get(sectionEnd).startsWith("## ")) {
      sectionEnd++;
    }
    List<String> alias = null;
    String aliasText = null;
    List<Command> commandLine = new ArrayList<>();
    List<Command> javaCommands = new ArrayList<>();
    Optional<String> readyLine = Optional.empty();
    boolean inBash = false;
    boolean inBlock = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        inBash = inBlock && line.strip().equals("```bash");
        continue;
      }
      if (inBlock && !inBash && line.startsWith("Scrapy Cloud emulator ready on ")) {
        readyLine = Optional.of(line.strip());
      }
      if (!inBash) {
        continue;
      }
      StringBuilder joined = new StringBuilder(line);
      while (joined.toString().endsWith("\\") && i + 1 < lines.size()) {
        joined.setLength(joined.length() - 1);
        joined.append(' ').append(lines.get(++i).strip());
      }
      String text = joined.toString().replaceAll("\\s+", " ").strip();
      boolean inSection = i > section && i < sectionEnd;
      if (inSection && text.startsWith("alias " + ALIAS + "=")) {
        aliasText = words(text.substring(("alias " + ALIAS + "=").length())).get(0); // the quoted value
        alias = words(aliasText);
      } else if (inSection && text.startsWith(ALIAS + " ")) {
        commandLine.add(Command.of(text, List.of(), null, words(text).subList(1, words(text).size())));
      } else {
        for (String part : text.split("&&")) {
          if (!part.strip().startsWith("java ") || !part.contains(" -jar ")) {
            continue;
          }
          List<String> w = words(part.strip());
          int jarFlag = w.indexOf("-jar");
          if (!w.isEmpty() && w.get(0).equals("java") && jarFlag > 0 && jarFlag + 1 < w.size()
              && w.get(jarFlag + 1).endsWith("/scrapinghub-io.jar")) {
            javaCommands.add(Command.of(part.strip(), w.subList(1, jarFlag), w.get(jarFlag + 1),
                w.subList(jarFlag + 2, w.size())));
          }
        }
      }
    }
    if (alias == null) {
      throw new IllegalStateException("no 'alias " + ALIAS + "=...' in the README's section The command line");
    }
    int jarFlag = alias.indexOf("-jar");
    if (!alias.get(0).equals("java") || jarFlag < 0 || jarFlag + 2 != alias.size()) {
      throw new IllegalStateException("the alias is not 'java FLAGS -jar JAR': " + alias);
    }
    List<Command> withAlias = new ArrayList<>();
    for (Command c : commandLine) {
      withAlias.add(new Command(c.text(), alias.subList(1, jarFlag), alias.get(jarFlag + 1), c.args(), c.tail()));
    }
    return new ReadmeCommands(List.copyOf(withAlias), List.copyOf(javaCommands), List.copyOf(alias), aliasText,
        readyLine);
  }

  /**
   * Splits a command line into words as a shell does for these lines: blanks, quotes, a comment's
   * end; a command substitution {@code $(...)} stays in its word, unexpanded.
   */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
      } else if (c == '#' && w == null) {
        break;
      } else {
        if (w == null) {
          w = new StringBuilder();
        }
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
          int close = line.indexOf(')', i);
          if (close < 0) {
            throw new IllegalArgumentException("unbalanced $( in: " + line);
          }
          w.append(line, i, close + 1); // a command substitution, kept as the shell sees it
          i = close;
        } else if (c == '\\' && i + 1 < line.length()) {
          w.append(line.charAt(++i));
        } else {
          w.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in: " + line);
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }

  /** A command's options: {@code --name=value}, {@code --name value}, {@code -a value}, and flags. */
  static final class Options {
    private static final Map<String, String> SHORT = Map.of("-a", "--arg");
    private static final Set<String> FLAGS = Set.of("--overwrite", "--running-jobs", "--verbose", "--no-gzip");

    final Map<String, List<String>> values = new LinkedHashMap<>();

    static Options parse(List<String> args) {
      Options o = new Options();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (!a.startsWith("-")) {
          throw new IllegalArgumentException("a positional argument in a README command: " + a + " in " + args);
        }
        int eq = a.indexOf('=');
        String name = SHORT.getOrDefault(eq < 0 ? a : a.substring(0, eq), eq < 0 ? a : a.substring(0, eq));
        String value;
        if (eq >= 0) {
          value = a.substring(eq + 1);
        } else if (!FLAGS.contains(name) && i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
          value = args.get(++i);
        } else {
          value = null;
        }
        o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
      return o;
    }

    boolean has(String name) {
      return values.containsKey(name);
    }

    Optional<String> value(String name) {
      List<String> v = values.get(name);
      return v == null ? Optional.empty() : Optional.ofNullable(v.get(v.size() - 1));
    }

    /** Every value of a repeatable, comma-separated option. */
    List<String> list(String name) {
      List<String> all = new ArrayList<>();
      for (String v : values.getOrDefault(name, List.of())) {
        for (String s : v.split(",")) {
          if (!s.isBlank()) {
            all.add(s.strip());
          }
        }
      }
      return all;
    }

    /** Every value of a repeatable option, as given (not split). */
    List<String> all(String name) {
      return values.getOrDefault(name, List.of());
    }

    /** {@code --start}/{@code --end}'s forms: epoch ms, ISO instant, ISO local date-time or date, in UTC. */
    Optional<Instant> time(String name) {
      return value(name).map(v -> {
        if (v.matches("\\d+")) {
          return Instant.ofEpochMilli(Long.parseLong(v));
        }
        if (v.endsWith("Z")) {
          return Instant.parse(v);
        }
        if (v.contains("T")) {
          return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        }
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      });
    }
  }
}
