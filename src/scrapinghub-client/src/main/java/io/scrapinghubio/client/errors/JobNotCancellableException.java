package io.scrapinghubio.client.errors;

/**
 * A job that was asked to be cancelled had already ended otherwise (finished with a close reason
 * other than {@code cancelled}, or deleted), so the service cancelled nothing. The service answers
 * such a cancel with {@code 200 {"count": 0}}; there is no failed response, so {@link #status()}
 * is -1.
 */
public class JobNotCancellableException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;
  /** See {@link #jobKey()}. */
  private final String jobKey;
  /** See {@link #state()}. */
  private final String state;
  /** See {@link #closeReason()}. */
  private final String closeReason;

  /**
   * The job and how it had ended.
   *
   * @param jobKey the job's key
   * @param state its state, e.g. {@code finished} or {@code deleted}
   * @param closeReason its close reason, or null
   * @param message one line naming all of them
   */
  public JobNotCancellableException(String jobKey, String state, String closeReason, String message) {
    super(message, -1, null);
    this.jobKey = jobKey;
    this.state = state;
    this.closeReason = closeReason;
  }

  /**
   * The job.
   *
   * @return its key, {@code project/spider/job}
   */
  public String jobKey() {
    return jobKey;
  }

  /**
   * The job's state when the cancel was refused.
   *
   * @return e.g. {@code finished} or {@code deleted}
   */
  public String state() {
    return state;
  }

  /**
   * The job's close reason when the cancel was refused.
   *
   * @return the close reason, or null when it has none
   */
  public String closeReason() {
    return closeReason;
  }
}
