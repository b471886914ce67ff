package io.scrapinghubio.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.errors.ForbiddenException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.ServerErrorException;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import java.nio.charset.StandardCharsets;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The mapping tables of scrapy-cloud-api.md §3.1, with bodies as recorded, and the truncation check. */
class ClientErrorMapperTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private final ErrorMapper m = new ErrorMapper(ApiKey.of(SECRET));
  private final HttpUrl storage = HttpUrl.get("https://storage.scrapinghub.com/items/1/2/3?count=10");
  private final HttpUrl dash = HttpUrl.get("https://app.zyte.com/api/run.json");

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storageByStatus() {
    assertInstanceOf(BadRequestException.class, m.storageError("POST", storage, 400, b("Error parsing data, missing value for _key field")));
    assertInstanceOf(UnauthorizedException.class, m.storageError("GET", storage, 401, b("Unauthorized")));
    assertInstanceOf(ForbiddenException.class, m.storageError("GET", storage, 403, b("")));
    assertInstanceOf(NotFoundException.class, m.storageError("GET", storage, 404, b("Not Found")));
    assertInstanceOf(ValueTooLargeException.class, m.storageError("POST", storage, 413, b("Serialized value too large")));
    ScrapinghubException s5 = m.storageError("GET", storage, 503, b("<html><body><h1>503 Service Unavailable</h1></body></html>"));
    assertInstanceOf(ServerErrorException.class, s5);
    assertTrue(s5.getMessage().contains("503 Service Unavailable"), s5.getMessage());
    ScrapinghubException s409 = m.storageError("GET", storage, 409, b("{\"message\":\"conflict\"}"));
    assertEquals(ScrapinghubException.class, s409.getClass());
    assertTrue(s409.getMessage().contains("conflict"));
  }

  @Test
  void unauthorizedNamesFingerprintAndHostNotKey() {
    ScrapinghubException e = m.storageError("GET", storage, 401, b("{\n  \"error\": \"Unauthorized\",\n  \"message\": \"Unauthorized\"\n}"));
    assertTrue(e.getMessage().contains("storage.scrapinghub.com"), e.getMessage());
    assertTrue(e.getMessage().contains(ApiKey.of(SECRET).toString().replace("ApiKey(", "").replace(")", "")), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET));
    UnauthorizedException d = assertThrows(UnauthorizedException.class,
        () -> m.dashResult("POST", dash, 200, b("{\"status\":\"error\",\"message\":\"Authentication failed\"}")));
    assertTrue(d.getMessage().contains("app.zyte.com"));
    assertFalse(d.getMessage().contains(SECRET));
  }

  @Test
  void unauthorizedNamesTheProjectOfAStorageUrl() {
    // The storage hosts answer a project the key cannot see (or that does not exist) as a wrong key.
    ScrapinghubException e = m.storageError("GET", HttpUrl.get("https://storage.scrapinghub.com/prefix/jobq/123/list"), 401,
        b("Unauthorized"));
    assertTrue(e.getMessage().contains("for project 123: either project 123 does not exist"), e.getMessage());
    assertEquals("7", ErrorMapper.projectOf(HttpUrl.get("https://h/collections/7/s/name")));
    assertEquals(null, ErrorMapper.projectOf(HttpUrl.get("https://h/projects/jobsummaries")));
    assertEquals(null, ErrorMapper.projectOf(dash));
    assertFalse(m.storageError("GET", HttpUrl.get("https://h/system/ts"), 401, b("")).getMessage().contains("project"));
  }

  @Test
  void dashByBody() {
    assertEquals("1/2/3", m.dashResult("POST", dash, 200, b("{\"status\":\"ok\",\"jobid\":\"1/2/3\"}")).path("jobid").asText());
    DuplicateJobException dup = assertThrows(DuplicateJobException.class,
        () -> m.dashResult("POST", dash, 400, b("{\"message\":\"hs-test-spider already scheduled\",\"status\":\"error\"}")));
    assertEquals(400, dup.status());
    assertThrows(BadRequestException.class, () -> m.dashResult("POST", dash, 400, b("{\"status\":\"badrequest\",\"message\":\"no such spider\"}")));
    assertThrows(BadRequestException.class, () -> m.dashResult("POST", dash, 200, b("{\"status\":\"error\",\"message\":\"bad units\"}")));
    assertThrows(NotFoundException.class, () -> m.dashResult("GET", dash, 404, b("<html>nope</html>")));
    assertThrows(ServerErrorException.class, () -> m.dashResult("GET", dash, 502, b("{\"status\":\"ok\"}")));
    ScrapinghubException nonJson = assertThrows(ScrapinghubException.class, () -> m.dashResult("GET", dash, 200, b("<html>login</html>")));
    assertTrue(nonJson.getMessage().contains("not a JSON object"));
    assertThrows(ScrapinghubException.class, () -> m.dashResult("GET", dash, 200, b("{\"status\":\"weird\"}")));
    // v2 REST objects have no status: judged by HTTP status
    assertEquals("x", m.dashResult("GET", dash, 200, b("{\"name\":\"x\"}")).path("name").asText());
    assertThrows(BadRequestException.class, () -> m.dashResult("PATCH", dash, 400, b("{\"non_field_errors\":[\"At least one\"]}")));
  }

  @Test
  void truncationCheckAcceptsUnterminatedLastLines() {
    assertTrue(RetryInterceptor.lastLineComplete(b("")));
    assertTrue(RetryInterceptor.lastLineComplete(b("{\"a\":1}\n{\"b\":2}")), "the service often omits the final newline");
    assertTrue(RetryInterceptor.lastLineComplete(b("{\"a\":1}\n")));
    assertTrue(RetryInterceptor.lastLineComplete(b("[1,2]\n[3,4]")));
    assertTrue(RetryInterceptor.lastLineComplete(b("6")));
    assertFalse(RetryInterceptor.lastLineComplete(b("{\"a\":1}\n{\"b\":")));
    assertFalse(RetryInterceptor.lastLineComplete(b("{\"a\":1}\n{\"b\":\"x")));
    assertFalse(RetryInterceptor.lastLineComplete(b("{\"a\":{\"b\":1}")));
  }
}
