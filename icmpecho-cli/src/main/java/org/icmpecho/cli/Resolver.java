package org.icmpecho.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name resolution for the commands, forward and reverse; replaceable in tests so that no test asks
 * a DNS server.
 */
interface Resolver {

  /** Which address family a command was restricted to ({@code -4}, {@code -6}). */
  enum Family {
    ANY,
    V4,
    V6;

    boolean accepts(InetAddress a) {
      return this == ANY || (this == V4) == (a instanceof Inet4Address);
    }
  }

  /**
   * The address of {@code host}, a literal or a name, of the given family.
   *
   * @throws UnknownHostException with a message of the form {@code "host: reason"}
   */
  InetAddress resolve(String host, Family family) throws UnknownHostException;

  /** Every address of {@code host} of the given family, in the resolver's order (fping -m). */
  default List<InetAddress> resolveAll(String host, Family family) throws UnknownHostException {
    return List.of(resolve(host, family));
  }

  /**
   * The name of {@code address}, or its literal when it has none. May block on DNS: call it off the
   * probe path.
   */
  String reverse(InetAddress address);

  /** True when {@code host} is an address literal rather than a name. */
  static boolean isLiteral(String host) {
    return Addr.parse(stripBrackets(host)) != null;
  }

  private static String stripBrackets(String host) {
    return host.length() > 2 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }

  /**
   * The system resolver (literals are parsed without any lookup; names go through the C library).
   */
  static Resolver system() {
    return new Resolver() {
      private static final Pattern NAME =
          Pattern.compile(
              "(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

      @Override
      public InetAddress resolve(String host, Family family) throws UnknownHostException {
        InetAddress literal = Addr.parse(stripBrackets(host)); // null: a name
        if (literal != null) {
          if (!family.accepts(literal))
            throw new UnknownHostException(host + ": Address family for hostname not supported");
          return literal;
        }
        if (!NAME.matcher(host).matches())
          throw new UnknownHostException(host + ": Name or service not known");
        List<InetAddress> all;
        try {
          all = lookup(host);
        } catch (UnknownHostException e) {
          String m = e.getMessage();
          throw new UnknownHostException(
              m != null && m.startsWith(host + ":") ? m : host + ": Name or service not known");
        }
        for (InetAddress a : all) {
          if (family.accepts(a)) return a;
        }
        throw new UnknownHostException(host + ": Address family for hostname not supported");
      }

      @Override
      public List<InetAddress> resolveAll(String host, Family family) throws UnknownHostException {
        if (isLiteral(host)) return List.of(resolve(host, family));
        InetAddress first = resolve(host, family); // the checks and messages of resolve()
        List<InetAddress> out = new java.util.ArrayList<>();
        for (InetAddress a : lookup(host)) if (family.accepts(a)) out.add(a);
        return out.isEmpty() ? List.of(first) : out;
      }

      private boolean hostsRead;
      private HostsFile hosts;

      // A name's addresses: from /etc/hosts read once where the C library would read it first.
      private List<InetAddress> lookup(String host) throws UnknownHostException {
        synchronized (this) {
          if (!hostsRead) {
            hosts = HostsFile.system();
            hostsRead = true;
          }
        }
        List<InetAddress> known = hosts == null ? null : hosts.lookup(host);
        if (known == null) return List.of(InetAddress.getAllByName(host));
        // named as the JDK names what it resolved: the host as asked
        List<InetAddress> named = new java.util.ArrayList<>(known.size());
        for (InetAddress a : known) named.add(InetAddress.getByAddress(host, a.getAddress()));
        return named;
      }

      @Override
      public String reverse(InetAddress address) {
        try {
          // a fresh address without a host name, so that getHostName() asks the resolver (files,
          // then DNS)
          InetAddress bare = InetAddress.getByAddress(address.getAddress());
          String name = bare.getHostName();
          return name.equals(bare.getHostAddress()) ? Addr.text(address) : name;
        } catch (UnknownHostException e) {
          return Addr.text(address);
        }
      }
    };
  }
}
