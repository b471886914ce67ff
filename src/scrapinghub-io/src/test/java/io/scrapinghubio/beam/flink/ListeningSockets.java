package io.scrapinghubio.beam.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP ports this JVM listens on, and on which address, read from Linux's {@code /proc}: the
 * kernel's own account of a bound socket, so a test needs to send no traffic to find out whether a
 * server accepts connections from other hosts. Sockets are matched to this process through the
 * inode numbers of its open file descriptors, so listeners of other processes on a shared machine
 * (parallel builds) are never counted.
 */
final class ListeningSockets {
  private static final Path OWN_FDS = Path.of("/proc/self/fd");
  private static final int TCP_LISTEN = 0x0A;

  private ListeningSockets() {}

  /** Whether this machine can answer at all (Linux with /proc). */
  static boolean available() {
    return Files.isDirectory(OWN_FDS) && Files.isReadable(Path.of("/proc/net/tcp"));
  }

  /** Every address:port this JVM is listening on now. */
  static Set<InetSocketAddress> ofThisProcess() {
    Set<String> inodes = ownSocketInodes();
    Set<InetSocketAddress> listening = new LinkedHashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.isReadable(p)) {
        continue;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        String[] f = line.trim().split("\\s+");
        if (Integer.parseInt(f[3], 16) == TCP_LISTEN && inodes.contains(f[9])) {
          listening.add(parse(f[1]));
        }
      }
    }
    return listening;
  }

  private static Set<String> ownSocketInodes() {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(OWN_FDS)) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // the descriptor was closed while we looked: not a listener of interest
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inodes;
  }

  /** "0100007F:1F90" (IPv4) or 32 hex digits (IPv6), each 32-bit word in host (little-endian) order. */
  private static InetSocketAddress parse(String hexAddressAndPort) {
    String[] ap = hexAddressAndPort.split(":");
    String hex = ap[0];
    byte[] address = new byte[hex.length() / 2];
    for (int word = 0; word < address.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        address[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(ap[1], 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address: " + hexAddressAndPort, e);
    }
  }
}
