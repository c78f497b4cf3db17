package org.icmpecho.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.icmpecho.testkit.internal.Sys;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit 5 extension behind {@link NetNs}. Per test:
 *
 * <ol>
 *   <li>not root: the test is skipped ({@code Assumptions.abort}) and the reason printed;
 *   <li>root: a fresh {@link NetLab} is injected into any {@code NetLab} parameter; after the test
 *       the lab is closed (clients, responders, then every namespace), also when the test failed;
 *   <li>leak checks after each test: no namespace of this process left, no lab socket open, no new
 *       socket or anonymous-inode descriptor (epoll, eventfd) in {@code /proc/self/fd} after a
 *       grace period of 2 s;
 *   <li>as root, a test that aborts (an assumption failed) is turned into a failure: CI runs as
 *       root and must never go green with the namespace tests skipped.
 * </ol>
 */
public final class NetLabExtension
    implements BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(NetLabExtension.class);
  private static final String LAB = "lab";
  private static final String FDS = "fds";

  /** Pretends another uid; for the lab's own tests only. */
  static final String UID_PROPERTY = "icmpecho.testkit.uid";

  /** Made by JUnit for {@link NetNs} tests. */
  public NetLabExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    long uid = uid();
    if (uid != 0) {
      String why =
          "network-namespace test skipped: needs root (uid 0), running as uid "
              + uid
              + "; run as root (CI does) to build the lab";
      System.out.println("icmpecho-testkit: " + context.getDisplayName() + ": " + why);
      Assumptions.abort(why);
    }
    context.getStore(NS).put(FDS, kernelObjectFds());
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == NetLab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    ExtensionContext.Store store = ec.getStore(NS);
    NetLab lab = store.get(LAB, NetLab.class);
    if (lab == null) {
      try {
        lab = NetLab.create();
      } catch (NetLabException e) {
        throw new ParameterResolutionException(
            "cannot create the network lab: " + e.getMessage(), e);
      }
      store.put(LAB, lab);
    }
    return lab;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    ExtensionContext.Store store = context.getStore(NS);
    NetLab lab = store.remove(LAB, NetLab.class);
    List<String> problems = new ArrayList<>();
    if (lab != null) {
      try {
        lab.close();
      } catch (RuntimeException e) {
        problems.add(e.getMessage());
      }
    }
    if (uid() != 0) return;
    List<String> left = NetLab.namespacesOfThisProcess();
    if (!left.isEmpty()) problems.add("namespaces left: " + left);
    if (Sys.openSockets() != 0) problems.add(Sys.openSockets() + " lab socket(s) still open");
    @SuppressWarnings("unchecked")
    Set<String> before = (Set<String>) store.remove(FDS, Set.class);
    if (before != null) {
      Set<String> leaked = Set.of();
      for (int i = 0; i < 40; i++) {
        leaked = new TreeSet<>(kernelObjectFds());
        leaked.removeAll(before);
        if (leaked.isEmpty()) break;
        Thread.sleep(50);
      }
      if (!leaked.isEmpty()) problems.add("descriptors leaked by the test: " + leaked);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "network lab leak check failed for " + context.getDisplayName() + ": " + problems);
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw noSkipAsRoot(t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw noSkipAsRoot(t);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw noSkipAsRoot(t);
  }

  private static Throwable noSkipAsRoot(Throwable t) {
    if (t instanceof TestAbortedException && uid() == 0) {
      return new AssertionError(
          "a network-namespace test may not be skipped when running as root (CI): "
              + t.getMessage(),
          t);
    }
    return t;
  }

  /**
   * The real uid of this process, from {@code /proc/self/status}. The system property {@value
   * #UID_PROPERTY} overrides it: it exists only for the lab's own test of the skip/fail rule.
   */
  static long uid() {
    String forced = System.getProperty(UID_PROPERTY);
    if (forced != null) return Long.parseLong(forced);
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:"))
          return Long.parseLong(line.substring(4).trim().split("\\s+", -1)[0]);
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: treated as unprivileged
    }
    return -1;
  }

  /**
   * "fd -> target" for this process's descriptors that are sockets or anonymous inodes (epoll,
   * eventfd).
   */
  static Set<String> kernelObjectFds() {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        try {
          String target = Files.readSymbolicLink(p).toString();
          if (target.startsWith("socket:") || target.startsWith("anon_inode:")) {
            out.add(p.getFileName() + "->" + target);
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    } catch (IOException e) {
      // no /proc: no check
    }
    return out;
  }
}
