package io.scrapinghubio.client.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The key held by a file, such as a mounted Kubernetes or Docker secret, read where the client
 * runs. The path is kept as text and resolved there (a relative path against that process's
 * working directory), because the file usually exists only on the workers.
 *
 * <p>Error messages name the path and what is wrong with it, never what the file holds.
 */
record KeyFromFile(String path) implements ApiKeySource {
  private static final long serialVersionUID = 1L;

  /** A key is 32 characters; anything this large is the wrong file, and is not read into memory. */
  static final long MAX_BYTES = 4096;

  KeyFromFile {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("API key file path must be non-empty, but was '" + path + "'");
    }
  }

  @Override
  public String resolve() {
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalStateException("API key file '" + path + "' is not a valid path here: " + e.getReason());
    }
    String where = "API key file " + file.toAbsolutePath();
    if (Files.isDirectory(file)) {
      throw new IllegalStateException(where + " is a directory; expected a file holding only the key");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException(where + " does not exist where the client runs (on every worker when running a pipeline)");
    } catch (IOException e) {
      throw cannotRead(where, e);
    }
    if (size > MAX_BYTES) {
      throw new IllegalStateException(where + " holds " + size + " bytes; expected a file holding only the key");
    }
    String key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw cannotRead(where, e);
    }
    if (key.isBlank()) {
      throw new IllegalStateException(where + " is empty");
    }
    return key;
  }

  /** The exception's class says what went wrong (access denied, not UTF-8...); its message is left out. */
  private static IllegalStateException cannotRead(String where, IOException e) {
    return new IllegalStateException(where + " cannot be read (" + e.getClass().getSimpleName() + ")");
  }

  @Override
  public String description() {
    return "read from file " + path;
  }
}
