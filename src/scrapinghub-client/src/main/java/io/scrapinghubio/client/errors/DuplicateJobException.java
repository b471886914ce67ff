package io.scrapinghubio.client.errors;

/**
 * run.json refused to schedule because the same spider (with the same arguments) is already
 * pending or running. The real service answers HTTP 400 with a message containing "already
 * scheduled"; like the official client, that is the only way to recognise it.
 */
public class DuplicateJobException extends BadRequestException {
  private static final long serialVersionUID = 1L;

  /**
   * The service's DuplicateJob answer.
   *
   * @param message what the service said
   */
  public DuplicateJobException(String message) {
    super(message, 400, null);
  }
}
