package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Target generation (-g) and target files (-f), no network. */
class TargetsTest {

  private static List<String> gen(Resolver.Family f, String... values) {
    List<String> out = new ArrayList<>();
    Targets.generate(List.of(values), f, a -> out.add(Addr.text(a)));
    return out;
  }

  @Test
  void cidrLeavesOutNetworkAndBroadcastLikeFping() {
    assertEquals(List.of("127.0.0.1", "127.0.0.2"), gen(Resolver.Family.ANY, "127.0.0.0/30"));
    assertEquals(List.of("127.0.0.1", "127.0.0.2"), gen(Resolver.Family.ANY, "127.0.0.2/30"));
    assertEquals(List.of("127.0.0.0", "127.0.0.1"), gen(Resolver.Family.ANY, "127.0.0.0/31"));
    assertEquals(List.of("127.0.0.7"), gen(Resolver.Family.ANY, "127.0.0.7/32"));
    List<String> big = gen(Resolver.Family.ANY, "198.18.0.0/16");
    assertEquals(65_534, big.size());
    assertEquals("198.18.0.1", big.get(0));
    assertEquals("198.18.255.254", big.get(big.size() - 1));
  }

  @Test
  void rangesAndIpv6() {
    assertEquals(
        List.of("127.0.0.254", "127.0.0.255", "127.0.1.0"),
        gen(Resolver.Family.ANY, "127.0.0.254", "127.0.1.0"));
    assertEquals(List.of("::1", "::2", "::3"), gen(Resolver.Family.ANY, "::1", "::3"));
    assertEquals(
        List.of("fd00::", "fd00::1", "fd00::2", "fd00::3"), gen(Resolver.Family.ANY, "fd00::/126"));
    // a CIDR then a lone address: the address is a target of its own
    assertEquals(
        List.of("127.0.0.1", "127.0.0.2", "127.0.0.9"),
        gen(Resolver.Family.ANY, "127.0.0.0/30", "127.0.0.9"));
  }

  @Test
  void badGenerationIsOneClearMessage() {
    assertThrows(IllegalArgumentException.class, () -> gen(Resolver.Family.ANY, "127.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> gen(Resolver.Family.ANY, "127.0.0.0/x"));
    assertThrows(IllegalArgumentException.class, () -> gen(Resolver.Family.ANY, "host.example/24"));
    assertThrows(
        IllegalArgumentException.class, () -> gen(Resolver.Family.ANY, "127.0.0.9", "127.0.0.1"));
    assertThrows(
        IllegalArgumentException.class, () -> gen(Resolver.Family.ANY, "127.0.0.1", "::1"));
    assertThrows(IllegalArgumentException.class, () -> gen(Resolver.Family.V6, "127.0.0.0/30"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> gen(Resolver.Family.ANY, "10.0.0.0/8"));
    assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
  }

  @Test
  void filesTakeTheFirstWordAndSkipComments(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("hosts.txt");
    Files.writeString(
        f, "# lab hosts\n127.0.0.1\n\n  ::1   loopback v6\n127.0.0.2 # two\n\t127.0.0.3\tx\n");
    assertEquals(
        List.of("127.0.0.1", "::1", "127.0.0.2", "127.0.0.3"), Targets.read(f.toString(), null));
    assertEquals(
        List.of("127.0.0.4"),
        Targets.read(
            "-", new ByteArrayInputStream("127.0.0.4\n".getBytes(StandardCharsets.UTF_8))));
    assertThrows(
        java.io.IOException.class, () -> Targets.read(dir.resolve("missing").toString(), null));
  }

  @Test
  void filesAreReadAsFpingReadsThem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("hosts.bin");
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(
        "#\u00ff\u00fe comment with bytes that are not UTF-8\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    b.writeBytes(
        "127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII)); // CRLF: \r is white space to sscanf
    b.writeBytes(
        "127.0.0.2#not-a-comment\n"
            .getBytes(StandardCharsets.US_ASCII)); // '#' counts only at a word's start
    b.writeBytes(
        new byte[] {
          '1', '2', '7', '.', '0', '.', '0', '.', '3', 0, 'x', '\n'
        }); // NUL ends the line
    b.writeBytes(new byte[] {' ', 0, '1', '\n'}); // NUL before any word: nothing
    b.writeBytes(
        new byte[] {
          '\u000b', '\f', 'h', (byte) 0xC3, '\n'
        }); // \v and \f are white space; a cut UTF-8 sequence
    b.writeBytes(
        ("x".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII)); // a long line is one line
    b.writeBytes("127.0.0.4".getBytes(StandardCharsets.US_ASCII)); // no final newline
    Files.write(f, b.toByteArray());
    List<String> got = Targets.read(f.toString(), null);
    assertEquals(
        List.of(
            "127.0.0.1",
            "127.0.0.2#not-a-comment",
            "127.0.0.3",
            "h\ufffd",
            "x".repeat(1024),
            "127.0.0.4"),
        got);
  }

  @Test
  void literalsNeverAskTheResolver() throws Exception {
    Resolver r = Resolver.system();
    assertEquals(InetAddress.getByName("127.0.0.1"), r.resolve("127.0.0.1", Resolver.Family.ANY));
    assertEquals(InetAddress.getByName("::1"), r.resolve("[::1]", Resolver.Family.V6));
    assertThrows(java.net.UnknownHostException.class, () -> r.resolve("::1", Resolver.Family.V4));
    assertThrows(
        java.net.UnknownHostException.class, () -> r.resolve("no such host!", Resolver.Family.ANY));
    assertThrows(java.net.UnknownHostException.class, () -> r.resolve("a..b", Resolver.Family.ANY));
    assertTrue(Resolver.isLiteral("127.0.0.1"));
    assertTrue(Resolver.isLiteral("::1"));
    assertTrue(!Resolver.isLiteral("localhost"));
  }
}
