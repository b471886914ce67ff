package io.scrapinghubio.cli.cloud;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.client.core.ApiKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the API key comes from: {@code --apikey-file}, else SH_APIKEY, else SHUB_APIKEY (as
 * python-scrapinghub and shub read them). Messages name the file or variable, never the key.
 */
final class ApiKeys {
  private ApiKeys() {}

  /** Thrown for a key file that cannot be used; the message is meant for the user. */
  static final class BadKeyFile extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadKeyFile(String message) {
      super(message);
    }
  }

  static Optional<ApiKey> find(Path keyFile, CliContext context) {
    if (keyFile != null) {
      return Optional.of(fromFile(keyFile));
    }
    for (String name : ApiKey.ENV_VARS) {
      String v = context.environment().get(name);
      if (v != null && !v.isBlank()) {
        // A key in this process's environment is read again where the pipeline runs, rather than
        // copied into the pipeline's serialised steps; a test's environment has to be copied.
        if (context.systemEnvironment()) {
          return Optional.of(ApiKey.fromEnvironment());
        }
        return Optional.of(of(v.strip(), name));
      }
    }
    return Optional.empty();
  }

  private static ApiKey fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new BadKeyFile("--apikey-file=" + file + " does not exist: expected a file holding the Scrapy Cloud API key");
    } catch (IOException e) {
      throw new BadKeyFile("--apikey-file=" + file + " cannot be read (" + e.getClass().getSimpleName()
          + "): expected a readable file holding the Scrapy Cloud API key");
    }
    if (text.isEmpty()) {
      throw new BadKeyFile("--apikey-file=" + file + " is empty: expected the Scrapy Cloud API key "
          + "(app.zyte.com > Settings > API key)");
    }
    if (text.chars().anyMatch(Character::isWhitespace)) {
      throw new BadKeyFile("--apikey-file=" + file + " holds more than one word: expected only the Scrapy Cloud "
          + "API key, on one line");
    }
    of(text, "--apikey-file=" + file); // checked here, so that a bad file is a usage error before anything starts
    // Only the path travels with the pipeline; the workers read the file themselves.
    return ApiKey.fromFile(file.toAbsolutePath().toString());
  }

  private static ApiKey of(String key, String source) {
    try {
      return ApiKey.of(key);
    } catch (IllegalArgumentException e) {
      // ApiKey's own message never quotes the key.
      throw new BadKeyFile("the API key in " + source + " is not usable: " + e.getMessage());
    }
  }
}
