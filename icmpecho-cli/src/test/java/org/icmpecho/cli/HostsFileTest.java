package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HostsFileTest {
  private static List<InetAddress> of(String... literals) {
    List<InetAddress> out = new ArrayList<>();
    for (String s : literals) out.add(Addr.parse(s));
    return out;
  }

  @Test
  void namesAndAliasesInAnyCaseWithEveryLinesAddressesIpv4First() {
    HostsFile h =
        HostsFile.parse(
            List.of(
                "# comment line",
                "127.0.0.1\tlocalhost",
                "::1     localhost ip6-localhost ip6-loopback",
                "198.18.0.7 Web.Example.test web # trailing comment",
                "2001:db8::7 web.example.test",
                "198.18.0.8 web",
                "198.18.0.7 web",
                "fe80::1%eth0 scoped other-scoped",
                "198.18.0.9 other-scoped",
                "   ",
                "198.18.0.10"),
            false);
    assertEquals(of("127.0.0.1", "::1"), h.lookup("localhost"));
    assertEquals(of("127.0.0.1", "::1"), h.lookup("LOCALHOST"));
    assertEquals(of("::1"), h.lookup("ip6-loopback"));
    assertEquals(of("198.18.0.7", "2001:db8::7"), h.lookup("web.example.test"));
    assertEquals(of("198.18.0.7", "198.18.0.8"), h.lookup("web"), "each address once, file order");
    assertNull(
        h.lookup("scoped"), "a line this parser cannot read leaves the name to the C library");
    assertNull(h.lookup("other-scoped"), "even when another line of that name parses");
    assertNull(h.lookup("absent.test"));
  }

  @Test
  void preferIpv6PutsIpv6First() {
    HostsFile h = HostsFile.parse(List.of("127.0.0.1 localhost", "::1 localhost"), true);
    assertEquals(of("::1", "127.0.0.1"), h.lookup("localhost"));
  }

  @Test
  void usedOnlyWhenNsswitchConsultsFilesFirst() {
    assertTrue(HostsFile.filesFirst(List.of("passwd: files", "hosts:          files dns")));
    assertTrue(HostsFile.filesFirst(List.of("hosts: files mdns4_minimal [NOTFOUND=return] dns")));
    assertFalse(HostsFile.filesFirst(List.of("hosts: dns files")));
    assertFalse(
        HostsFile.filesFirst(List.of("#hosts: files", "hosts: resolve [!UNAVAIL=return] files")));
    assertFalse(
        HostsFile.filesFirst(List.of("passwd: files")), "no hosts line: glibc asks dns first");
  }

  /**
   * The oracle: for every name of this machine's /etc/hosts, the JDK's answer through the C
   * library.
   */
  @Test
  void answersAsTheCLibraryForEveryNameOfThisMachinesHostsFile() throws Exception {
    HostsFile h = HostsFile.system();
    if (!HostsFile.filesFirst(Files.readAllLines(Path.of("/etc/nsswitch.conf")))) {
      assertNull(h, "the C library does not read files first here: nothing to answer from");
      return;
    }
    assertNotNull(h);
    int compared = 0;
    for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
      String[] f = line.replaceAll("#.*", "").strip().split("\\s+");
      for (int i = 1; i < f.length; i++) {
        List<InetAddress> ours = h.lookup(f[i]);
        if (ours == null) continue; // left to the C library
        List<InetAddress> theirs = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(f[i]))
          theirs.add(InetAddress.getByAddress(a.getAddress()));
        assertEquals(theirs, ours, f[i].toLowerCase(Locale.ROOT));
        compared++;
      }
    }
    assertTrue(compared > 0, "localhost at least is in every hosts file");
  }

  @Test
  void theSystemResolverAnswersNamesFromTheFileNamedAsAsked() throws Exception {
    InetAddress a = Resolver.system().resolve("localhost", Resolver.Family.V4);
    assertEquals("127.0.0.1", a.getHostAddress());
    assertEquals("localhost", a.getHostName());
  }
}
