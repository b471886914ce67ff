package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.emulator.demo.DemoData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The emulator accepts connections only once it is ready: a client that connects the instant the
 * port opens (as a container's health check or a test polling the port does) sees all the demo
 * data, never a store being seeded.
 */
class EmulatorReadinessTest {
  private static final long PROJECT = DemoData.DEFAULT_PROJECT;
  // Large enough that seeding takes a while (hundreds of ms on two cores): an emulator that
  // opened its port before seeding would answer the first request with part of the jobs.
  private static final int JOBS = 20;
  private static final int ITEMS_PER_JOB = 5_000;

  @Test
  void clientConnectingTheInstantThePortOpensSeesAllDemoData() throws Exception {
    int port = freePort();
    CountDownLatch stop = new CountDownLatch(1);
    AtomicReference<Throwable> mainFailure = new AtomicReference<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread main = new Thread(() -> {
      try {
        EmulatorMain.run(new String[] {"--port", String.valueOf(port), "--demo-jobs", String.valueOf(JOBS),
                "--demo-items-per-job", String.valueOf(ITEMS_PER_JOB)},
            new PrintStream(out, true, StandardCharsets.UTF_8), System.err, stop);
      } catch (Throwable t) {
        mainFailure.set(t);
      }
    }, "emulator-main");
    main.start();
    try {
      try (Socket first = connectAsSoonAsThePortOpens(port, main, mainFailure)) {
        // The very first connection that succeeds asks how many demo jobs are finished; the
        // seeder finishes each job only after every job's records are written, so all JOBS
        // finished means all the data is there.
        String count = get(first, "/jobq/" + PROJECT + "/count");
        assertEquals(String.valueOf(JOBS), count, "finished demo jobs seen by the first connection");
      }
      TestHttp http = new TestHttp("http://127.0.0.1:" + port + "/", "any");
      List<Object> jobs = http.get("jobq/" + PROJECT + "/list?count=" + (JOBS + 1)).jsonLines();
      assertEquals(JOBS, jobs.size());
      String newestJob = String.valueOf(((java.util.Map<?, ?>) jobs.get(0)).get("key"));
      assertEquals(ITEMS_PER_JOB, http.get("items/" + newestJob).jsonLines().size(), "items of " + newestJob);
    } finally {
      stop.countDown();
      main.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (mainFailure.get() != null) {
      fail("EmulatorMain failed", mainFailure.get());
    }
  }

  @Test
  void standaloneEmulatorPrintsTheReadyLineOnceServing() throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classPathOf(EmulatorMain.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class),
        EmulatorMain.class.getName(), "--port", "0", "--demo-jobs", "3", "--demo-items-per-job", "10");
    Process emulator = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      List<String> printed = new ArrayList<>();
      EmulatorReadyLine ready = awaitReadyLine(emulator, printed);
      assertEquals(1, printed.stream().filter(l -> l.startsWith(EmulatorReadyLine.PREFIX)).count(), printed::toString);
      assertTrue(ready.storageUrl().matches("http://127\\.0\\.0\\.1:\\d+/"), ready.storageUrl());
      assertEquals(ready.storageUrl() + "api/", ready.dashUrl());
      // Serving as soon as the line is out: no wait, no retry.
      TestHttp http = new TestHttp(ready.storageUrl(), "any");
      assertEquals("3", http.get("jobq/" + PROJECT + "/count").text());
      assertEquals(200, new TestHttp(ready.dashUrl(), "any").get("scrapyd/listprojects.json").code());
    } finally {
      emulator.destroy();
      if (!emulator.waitFor(30, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  /** Reads the process's output up to its ready line (one minute at most). */
  private static EmulatorReadyLine awaitReadyLine(Process p, List<String> printed) throws Exception {
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    AtomicReference<EmulatorReadyLine> ready = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        String line;
        while ((line = lines.readLine()) != null) {
          synchronized (printed) {
            printed.add(line);
          }
          Optional<EmulatorReadyLine> parsed = EmulatorReadyLine.parse(line);
          if (parsed.isPresent()) {
            ready.set(parsed.get());
            return;
          }
        }
      } catch (IOException e) {
        // the process died; the assertion below says so
      }
    }, "emulator-output");
    reader.setDaemon(true);
    reader.start();
    reader.join(TimeUnit.MINUTES.toMillis(1));
    synchronized (printed) {
      assertTrue(ready.get() != null, "no ready line; the emulator printed: " + printed);
      return ready.get();
    }
  }

  /**
   * Connects to the port over and over, without pause, until a connection succeeds (one minute
   * at most, or until EmulatorMain gives up).
   */
  private static Socket connectAsSoonAsThePortOpens(int port, Thread main, AtomicReference<Throwable> mainFailure)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      Socket s = new Socket();
      try {
        s.connect(address, 1000);
        if (s.getLocalPort() == port) {
          // TCP can connect a socket to itself when its own ephemeral port is the one polled.
          s.close();
          continue;
        }
        return s;
      } catch (ConnectException refused) {
        s.close();
        if (!main.isAlive()) {
          fail("EmulatorMain ended before the port opened", mainFailure.get());
        }
      }
    }
    throw new AssertionError("port " + port + " did not open within a minute");
  }

  /** One GET over a fresh connection; returns the body of a 200 answer. */
  private static String get(Socket s, String path) throws IOException {
    OutputStream os = s.getOutputStream();
    os.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    os.flush();
    s.setSoTimeout(30_000);
    InputStream in = s.getInputStream();
    String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int bodyStart = response.indexOf("\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200 ") && bodyStart > 0, response);
    return response.substring(bodyStart + 4).strip();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The folders or jars these classes were loaded from, as a class path. */
  private static String classPathOf(Class<?>... classes) {
    return Stream.of(classes).map(c -> {
      try {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
