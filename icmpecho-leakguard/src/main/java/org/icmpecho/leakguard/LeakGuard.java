package org.icmpecho.leakguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves resources behind (after okhttp's leak-checking rule): after the
 * class's last test, the open file descriptors ({@code /proc/self/fd}), the live threads whose
 * names start with {@code icmpecho} and the native memory Java code allocated (the engine's FFM
 * arenas: Native Memory Tracking's "Other" category) must be back at what they were before its
 * first test. Threads and sockets that close asynchronously get a grace period of {@link
 * #GRACE_MILLIS}, with garbage collections (GC-managed arenas) meanwhile.
 *
 * <p>Registered for every test class by JUnit's extension autodetection (this jar's {@code
 * META-INF/services} entry, {@code junit.jupiter.extensions.autodetection.enabled=true}); a class
 * that must keep something on purpose (a process-wide service started once) is annotated {@link
 * Keeps}.
 *
 * <p>Not counted: descriptors of jar files and of the JDK's own files (class loading opens them
 * lazily and keeps them), {@code /dev/random}/{@code /dev/urandom}, the JVM's attach listener
 * socket, and native memory growth up to {@link #MEMORY_SLACK} bytes (one-time lazy buffers of the
 * JDK). A leaked socket shows as a descriptor long before as memory.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {
  /** How long threads and descriptors get to go away after the class. */
  static final long GRACE_MILLIS = Long.getLong("icmpecho.leakguard.graceMillis", 5_000);

  /**
   * Native memory growth tolerated per class (bytes): NMT counts in KB, and the JDK has one-time
   * buffers.
   */
  static final long MEMORY_SLACK = 64 * 1024;

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LeakGuard.class);

  /** What a class may leave running: threads whose names start with one of {@link #threads()}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Keeps {
    /** Thread name prefixes this class may leave alive. */
    String[] threads() default {};

    /**
     * Descriptor kinds (as reported: {@code socket}, {@code anon_inode:[eventpoll]}) this class may
     * leave open.
     */
    String[] fds() default {};

    /** Native memory (bytes) this class may leave allocated, beyond the usual slack. */
    long nativeBytes() default 0;

    /** Why: what keeps them, for the reader. */
    String because();
  }

  /** The resources counted, at one moment. */
  record Snapshot(Map<String, Integer> fds, Map<Long, String> threads, long nativeBytes) {
    static Snapshot take() {
      return new Snapshot(LeakGuard.fds(), LeakGuard.threads(), LeakGuard.nativeBytes());
    }
  }

  /**
   * Starts what a module's code keeps for the life of the process, before the first baseline, so
   * that the first test class to use it is not blamed: a module's tests list theirs in {@code
   * META-INF/services/org.icmpecho.leakguard.LeakGuard$Warmup} (e.g. the Windows layer's shared
   * client, as a Windows process's ICMP service outlives its handles).
   */
  public interface Warmup {
    void run() throws Exception;
  }

  private static volatile boolean warm;

  private static synchronized void warmUp() {
    if (warm) return;
    warm = true;
    // The JDK keeps one socket for the life of the process after its first NIO channel (the
    // descriptor that asynchronous closes dup2 onto): made now, it is part of every baseline.
    try (DatagramChannel c = DatagramChannel.open()) {
      c.isOpen();
    } catch (IOException e) {
      // no such socket here: nothing to warm
    }
    // Virtual threads that block on a socket start the JDK's pollers (an epoll descriptor and a
    // thread each), which then live as long as the process: started now by one virtual thread
    // waiting for a loopback connection.
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread v =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (SocketChannel accepted = server.accept()) {
                      accepted.isOpen();
                    } catch (IOException e) {
                      // warm-up only
                    }
                  });
      long until = System.nanoTime() + 2_000_000_000L;
      while (v.getState() != Thread.State.WAITING && System.nanoTime() < until)
        Thread.sleep(5); // parked in accept
      try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
        c.isOpen();
      }
      v.join(5_000);
    } catch (IOException e) {
      // no loopback: nothing to warm
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Warmup w : ServiceLoader.load(Warmup.class)) {
      try {
        w.run();
      } catch (Exception e) {
        throw new IllegalStateException(
            "leak guard warm-up " + w.getClass().getName() + " failed", e);
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!enabled() || context.getTestClass().map(c -> c.getEnclosingClass() != null).orElse(true))
      return;
    warmUp();
    context.getStore(NS).put("baseline", Snapshot.take());
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    Snapshot before = context.getStore(NS).get("baseline", Snapshot.class);
    if (before == null) return;
    Keeps keeps = context.getRequiredTestClass().getAnnotation(Keeps.class);
    List<String> leaks = List.of();
    long deadline = System.nanoTime() + GRACE_MILLIS * 1_000_000;
    do {
      leaks = leaks(before, Snapshot.take(), keeps);
      if (leaks.isEmpty()) return;
      System.gc(); // GC-managed arenas and unreachable channels free their memory and descriptors
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        context.getRequiredTestClass().getSimpleName()
            + " leaked (still there "
            + GRACE_MILLIS
            + " ms after its last test):\n  "
            + String.join("\n  ", leaks));
  }

  static List<String> leaks(Snapshot before, Snapshot after, Keeps keeps) {
    List<String> leaks = new ArrayList<>();
    for (Map.Entry<Long, String> t : after.threads().entrySet()) {
      if (before.threads().containsKey(t.getKey()) || kept(keeps, t.getValue())) continue;
      leaks.add("thread " + t.getValue());
    }
    for (Map.Entry<String, Integer> f : after.fds().entrySet()) {
      int extra = f.getValue() - before.fds().getOrDefault(f.getKey(), 0);
      if (extra > 0 && (keeps == null || !List.of(keeps.fds()).contains(f.getKey()))) {
        leaks.add(extra + " file descriptor(s) " + f.getKey());
      }
    }
    long grown = after.nativeBytes() - before.nativeBytes();
    if (grown > MEMORY_SLACK + (keeps == null ? 0 : keeps.nativeBytes()))
      leaks.add(grown + " bytes of native memory (NMT \"Other\": arenas, direct buffers)");
    return leaks;
  }

  private static boolean kept(Keeps keeps, String name) {
    if (keeps == null) return false;
    for (String p : keeps.threads()) if (name.startsWith(p)) return true;
    return false;
  }

  private static boolean enabled() {
    return !Boolean.getBoolean("icmpecho.leakguard.off")
        && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  /**
   * Open descriptors by what they point at ({@code socket:}, {@code anon_inode:[eventpoll]}, a
   * path), counted.
   */
  static Map<String, Integer> fds() {
    Map<String, Integer> byTarget = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path p : ds) {
        String target;
        try {
          target = Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
          continue; // closed meanwhile (or the directory stream's own descriptor)
        }
        if (ignored(target) || attachListener(target)) continue;
        // Sockets and pipes differ by inode only: count them by kind.
        String kind = target.replaceFirst(":\\[\\d+\\]$", "");
        byTarget.merge(kind, 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byTarget;
  }

  /**
   * The JVM's attach listener: a Unix socket {@code .java_pid<pid>} that stays open once a tool or
   * an agent (Jazzer's, in the fuzz tests) attached, for the life of the process.
   */
  private static boolean attachListener(String target) {
    if (!target.startsWith("socket:[")) return false;
    String inode = target.substring(8, target.length() - 1);
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
        String[] f = line.trim().split("\\s+", -1);
        if (f.length >= 8 && f[6].equals(inode)) return f[7].contains(".java_pid");
      }
    } catch (IOException e) {
      // cannot tell
    }
    return false;
  }

  private static boolean ignored(String target) {
    return target.endsWith(".jar")
        || target.endsWith(".jsa")
        || target.endsWith("/lib/modules")
        || target.equals("/dev/random")
        || target.equals("/dev/urandom")
        || target.startsWith("/proc/")
        || (target.contains("/jdk") && target.contains("/lib/"));
  }

  /** Live threads named {@code icmpecho...}, by id. */
  static Map<Long, String> threads() {
    Map<Long, String> out = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("icmpecho")) out.put(t.threadId(), t.getName());
    }
    return out;
  }

  /**
   * Native memory that Java code allocated (FFM arenas, direct buffers: {@code Unsafe}
   * allocations): Native Memory Tracking's "Other" category, or 0 when NMT is off (then not
   * checked). The build runs tests with {@code -XX:NativeMemoryTracking=summary}; FFM memory is not
   * in the "direct" buffer pool.
   */
  static long nativeBytes() {
    try {
      String summary =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "vmNativeMemory",
                      new Object[] {new String[] {"summary"}},
                      new String[] {String[].class.getName()});
      Matcher m = OTHER.matcher(summary);
      return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    } catch (JMException | RuntimeException e) {
      return 0;
    }
  }

  private static final Pattern OTHER =
      Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
}
