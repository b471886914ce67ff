package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.ScrapinghubFailure.Kind;
import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.errors.ForbiddenException;
import io.scrapinghubio.client.errors.JobNotCancellableException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.ServerErrorException;
import io.scrapinghubio.client.errors.TransportException;
import io.scrapinghubio.client.errors.UnauthorizedException;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/**
 * One element a job transform could not handle: what was asked ({@link #operation()}, the run
 * request or the job key), a typed {@link Kind}, the HTTP status when there was one, the message
 * and how many attempts were made. Internal: users see it as the {@link ScrapinghubFailure} of the
 * bad record ({@link #toFailure()}, its description) or, without a handler, the pipeline's failure.
 */
@DefaultCoder(SerializableCoder.class)
final class JobFailure implements Serializable {
  private static final long serialVersionUID = 1L;

  /** See {@link #operation()}. */
  private final String operation;
  /** See {@link #request()}. */
  private final RunRequest request;
  /** See {@link #jobKey()}. */
  private final String jobKey;
  /** See {@link #kind()}. */
  private final Kind kind;
  /** See {@link #status()}. */
  private final int status;
  /** See {@link #message()}. */
  private final String message;
  /** See {@link #attempts()}. */
  private final int attempts;

  /**
   * A failure with every field given.
   *
   * @param operation the transform's operation, e.g. {@code schedule}
   * @param request the run request (scheduling), or null
   * @param jobKey the job's key when known, or null
   * @param kind the typed kind
   * @param status the HTTP status, or -1
   * @param message the error's message; null is taken as empty
   * @param attempts how many attempts were made
   */
  JobFailure(String operation, RunRequest request, String jobKey, Kind kind, int status, String message, int attempts) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.request = request;
    this.jobKey = jobKey;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
    this.message = message == null ? "" : message;
    this.attempts = attempts;
  }

  static JobFailure of(String operation, RunRequest request, String jobKey, Throwable e, int attempts) {
    int status = e instanceof ScrapinghubException ? ((ScrapinghubException) e).status() : -1;
    return new JobFailure(operation, request, jobKey, kindOf(e), status, String.valueOf(e.getMessage()), attempts);
  }

  /**
   * The typed kind of a client error.
   *
   * @param e an exception the client threw
   * @return its kind; {@link Kind#UNKNOWN} for anything the client does not type
   */
  static Kind kindOf(Throwable e) {
    if (e instanceof DuplicateJobException) {
      return Kind.DUPLICATE_JOB;
    }
    if (e instanceof UnauthorizedException) {
      return Kind.UNAUTHORIZED;
    }
    if (e instanceof ForbiddenException) {
      return Kind.FORBIDDEN;
    }
    if (e instanceof NotFoundException) {
      return Kind.NOT_FOUND;
    }
    if (e instanceof JobNotCancellableException) {
      return Kind.NOT_CANCELLABLE;
    }
    if (e instanceof BadRequestException) {
      return Kind.BAD_REQUEST;
    }
    if (e instanceof ServerErrorException) {
      return Kind.SERVER_ERROR;
    }
    if (e instanceof TransportException) {
      return Kind.TRANSPORT;
    }
    if (e instanceof ScrapinghubException && ((ScrapinghubException) e).status() == 429) {
      return Kind.RATE_LIMITED;
    }
    if (e instanceof IllegalArgumentException) {
      return Kind.INVALID_INPUT;
    }
    return Kind.UNKNOWN;
  }

  /** Whether trying again later may succeed: 408/429/5xx and failures without a response. */
  static boolean retryable(Throwable e) {
    if (!(e instanceof ScrapinghubException)) {
      return false;
    }
    int s = ((ScrapinghubException) e).status();
    return e instanceof TransportException || s == -1 || RetryPolicy.isRetryableStatus(s);
  }

  /**
   * {@code schedule}, {@code await}, {@code updateTags}, {@code cancel} or {@code delete}.
   *
   * @return the operation's name
   */
  String operation() {
    return operation;
  }

  /**
   * The run request (scheduling failures), else null.
   *
   * @return the request, or null
   */
  RunRequest request() {
    return request;
  }

  /**
   * The job key, when known, else null.
   *
   * @return the job key, or null
   */
  String jobKey() {
    return jobKey;
  }

  /**
   * What went wrong, typed.
   *
   * @return the kind
   */
  Kind kind() {
    return kind;
  }

  /**
   * HTTP status of the failed answer, or -1.
   *
   * @return the status, or -1
   */
  int status() {
    return status;
  }

  /**
   * The error's message.
   *
   * @return the message, possibly empty
   */
  String message() {
    return message;
  }

  /**
   * How many attempts were made before giving up.
   *
   * @return at least 1 when a request was sent
   */
  int attempts() {
    return attempts;
  }

  /**
   * This failure as users see it: the job (or, without one, the run request) it names, and the
   * rest as is.
   *
   * @return the failure, whose description is the bad record's
   */
  ScrapinghubFailure toFailure() {
    if (jobKey != null) {
      return ScrapinghubFailure.ofJob(kind, operationOf(operation), jobKey, status, attempts, message);
    }
    return ScrapinghubFailure.ofRequest(kind, String.valueOf(request), status, attempts, message);
  }

  /** The typed operation of its word ({@code updateTags}...). */
  static ScrapinghubFailure.Operation operationOf(String word) {
    for (ScrapinghubFailure.Operation o : ScrapinghubFailure.Operation.values()) {
      if (o.word().equals(word)) {
        return o;
      }
    }
    throw new IllegalArgumentException("not an operation: " + word);
  }

  @Override
  public String toString() {
    return "JobFailure{" + toFailure() + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobFailure)) {
      return false;
    }
    JobFailure f = (JobFailure) o;
    return operation.equals(f.operation) && Objects.equals(request, f.request) && Objects.equals(jobKey, f.jobKey)
        && kind == f.kind && status == f.status && message.equals(f.message) && attempts == f.attempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(operation, request, jobKey, kind, status, message, attempts);
  }
}
