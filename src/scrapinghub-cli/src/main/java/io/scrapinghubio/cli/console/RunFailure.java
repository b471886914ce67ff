package io.scrapinghubio.cli.console;

/** A run that could not be done, with a message meant for the user as it is (exit code 1). */
public class RunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunFailure(String message) {
    super(message);
  }

  public RunFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
